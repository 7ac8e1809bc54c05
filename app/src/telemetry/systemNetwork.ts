import { readFileSync } from 'node:fs';
import type { Meter } from '@opentelemetry/api';
import {
  ATTR_NETWORK_IO_DIRECTION,
  ATTR_SYSTEM_DEVICE,
  METRIC_SYSTEM_NETWORK_DROPPED,
  METRIC_SYSTEM_NETWORK_ERRORS,
  METRIC_SYSTEM_NETWORK_IO,
} from './semconv.ts';

const PROC_NET_DEV = '/proc/net/dev';

/** Counters of one network interface, received and transmitted. */
export interface InterfaceCounters {
  device: string;
  bytes: { receive: number; transmit: number };
  errors: { receive: number; transmit: number };
  dropped: { receive: number; transmit: number };
}

/**
 * The interfaces of /proc/net/dev: after `name:` come 8 receive columns (bytes, packets, errs, drop, …) and then
 * the transmit columns in the same order.
 */
export function readNetworkDevices(text: string): InterfaceCounters[] {
  return text.split('\n').flatMap((line) => {
    const match = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (match === null) return [];
    const columns = match[2]!.trim().split(/\s+/).map(Number);
    if (columns.length < 16 || columns.some(Number.isNaN)) return [];
    const pair = (offset: number) => ({ receive: columns[offset]!, transmit: columns[offset + 8]! });
    return [{ device: match[1]!, bytes: pair(0), errors: pair(2), dropped: pair(3) }];
  });
}

/**
 * `system.network.io`, `.errors` and `.dropped` by `system.device` and `network.io.direction`: the names
 * @opentelemetry/host-metrics uses, read from /proc/net/dev at collection time instead of through its
 * systeminformation collector, which runs a child process (and blocks the event loop for about 10 ms) on every
 * scrape. Not registered where /proc/net/dev is missing.
 */
export function observeSystemNetwork(meter: Meter): void {
  if (readDevices() === undefined) return;
  const io = meter.createObservableCounter(METRIC_SYSTEM_NETWORK_IO, { description: 'Network bytes transferred.', unit: 'By' });
  const errors = meter.createObservableCounter(METRIC_SYSTEM_NETWORK_ERRORS, { description: 'Network errors.', unit: '{error}' });
  const dropped = meter.createObservableCounter(METRIC_SYSTEM_NETWORK_DROPPED, { description: 'Network packets dropped.', unit: '{packet}' });
  meter.addBatchObservableCallback(
    (result) => {
      for (const counters of readDevices() ?? []) {
        for (const direction of ['receive', 'transmit'] as const) {
          const attributes = { [ATTR_SYSTEM_DEVICE]: counters.device, [ATTR_NETWORK_IO_DIRECTION]: direction };
          result.observe(io, counters.bytes[direction], attributes);
          result.observe(errors, counters.errors[direction], attributes);
          result.observe(dropped, counters.dropped[direction], attributes);
        }
      }
    },
    [io, errors, dropped],
  );
}

function readDevices(): InterfaceCounters[] | undefined {
  try {
    return readNetworkDevices(readFileSync(PROC_NET_DEV, 'utf8'));
  } catch {
    return undefined;
  }
}
