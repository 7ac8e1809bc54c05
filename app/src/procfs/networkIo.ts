import { readFileSync } from 'node:fs';

/** Bytes received and sent so far, summed over every network interface. */
export interface NetworkIo {
  receiveBytes: number;
  transmitBytes: number;
}

/** Counters of one network interface, received and transmitted. */
export interface NetworkDevice {
  device: string;
  bytes: { receive: number; transmit: number };
  errors: { receive: number; transmit: number };
  dropped: { receive: number; transmit: number };
}

/**
 * The interfaces of /proc/net/dev: after `name:` come 8 receive columns (bytes, packets, errs, drop, …) and then
 * the transmit columns in the same order. Header and truncated lines are skipped.
 */
export function parseNetworkDevices(text: string): NetworkDevice[] {
  return text.split('\n').flatMap((line) => {
    const match = /^\s*([^:\s|]+):\s*(.*)$/.exec(line);
    if (match === null) return [];
    const columns = match[2]!.trim().split(/\s+/).map(Number);
    if (columns.length < 16 || columns.some(Number.isNaN)) return [];
    const pair = (offset: number) => ({ receive: columns[offset]!, transmit: columns[offset + 8]! });
    return [{ device: match[1]!, bytes: pair(0), errors: pair(2), dropped: pair(3) }];
  });
}

/**
 * Parses /proc/net/dev. Loopback is included: on a development machine the app's database, Redis and catalog are
 * often on localhost, and leaving `lo` out would show no traffic at all.
 */
export function parseNetworkIo(text: string): NetworkIo {
  return totalIo(parseNetworkDevices(text));
}

function totalIo(devices: NetworkDevice[]): NetworkIo {
  let receiveBytes = 0;
  let transmitBytes = 0;
  for (const { bytes } of devices) {
    receiveBytes += bytes.receive;
    transmitBytes += bytes.transmit;
  }
  return { receiveBytes, transmitBytes };
}

/** The machine's (or container's) network interfaces now, or undefined where /proc/net/dev cannot be read. */
export function readNetworkDevices(): NetworkDevice[] | undefined {
  try {
    return parseNetworkDevices(readFileSync('/proc/net/dev', 'utf8'));
  } catch {
    return undefined;
  }
}

/** The machine's (or container's) network counters now, or undefined where /proc/net/dev cannot be read. */
export function readNetworkIo(): NetworkIo | undefined {
  const devices = readNetworkDevices();
  return devices === undefined ? undefined : totalIo(devices);
}
