import type { Meter } from '@opentelemetry/api';
import { readNetworkDevices } from '../procfs/networkIo.ts';
import {
  ATTR_NETWORK_IO_DIRECTION,
  ATTR_SYSTEM_DEVICE,
  METRIC_SYSTEM_NETWORK_DROPPED,
  METRIC_SYSTEM_NETWORK_ERRORS,
  METRIC_SYSTEM_NETWORK_IO,
} from './semconv.ts';

/**
 * `system.network.io`, `.errors` and `.dropped` by `system.device` and `network.io.direction`: the names
 * @opentelemetry/host-metrics uses, read from /proc/net/dev at collection time instead of through its
 * systeminformation collector, which runs a child process (and blocks the event loop for about 10 ms) on every
 * scrape. Not registered where /proc/net/dev is missing.
 */
export function observeSystemNetwork(meter: Meter): void {
  if (readNetworkDevices() === undefined) return;
  const io = meter.createObservableCounter(METRIC_SYSTEM_NETWORK_IO, { description: 'Network bytes transferred.', unit: 'By' });
  const errors = meter.createObservableCounter(METRIC_SYSTEM_NETWORK_ERRORS, { description: 'Network errors.', unit: '{error}' });
  const dropped = meter.createObservableCounter(METRIC_SYSTEM_NETWORK_DROPPED, { description: 'Network packets dropped.', unit: '{packet}' });
  meter.addBatchObservableCallback(
    (result) => {
      for (const counters of readNetworkDevices() ?? []) {
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
