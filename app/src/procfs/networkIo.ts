import { readFileSync } from 'node:fs';

/** Bytes received and sent so far, summed over every network interface. */
export interface NetworkIo {
  receiveBytes: number;
  transmitBytes: number;
}

/**
 * Parses /proc/net/dev. Loopback is included: on a development machine the app's database, Redis and catalog are
 * often on localhost, and leaving `lo` out would show no traffic at all.
 */
export function parseNetworkIo(text: string): NetworkIo {
  let receiveBytes = 0;
  let transmitBytes = 0;
  for (const line of text.split('\n').slice(2)) {
    const [, counters] = line.split(':');
    const fields = counters?.trim().split(/\s+/).map(Number);
    if (fields === undefined || fields.length < 9) continue;
    receiveBytes += fields[0]!;
    transmitBytes += fields[8]!;
  }
  return { receiveBytes, transmitBytes };
}

/** The machine's (or container's) network counters now, or undefined where /proc/net/dev cannot be read. */
export function readNetworkIo(): NetworkIo | undefined {
  try {
    return parseNetworkIo(readFileSync('/proc/net/dev', 'utf8'));
  } catch {
    return undefined;
  }
}
