import { readFileSync } from 'node:fs';
import type { Meter } from '@opentelemetry/api';
import { ATTR_DISK_IO_DIRECTION, METRIC_PROCESS_DISK_IO } from './semconv.ts';

const PROC_SELF_IO = '/proc/self/io';

/** Bytes this process made the storage layer read and write (`read_bytes`, `write_bytes` of /proc/self/io). */
export function readProcessDiskIo(text: string): { read: number; write: number } | undefined {
  const read = /^read_bytes:\s*(\d+)$/m.exec(text)?.[1];
  const write = /^write_bytes:\s*(\d+)$/m.exec(text)?.[1];
  return read === undefined || write === undefined ? undefined : { read: Number(read), write: Number(write) };
}

/**
 * `process.disk.io` (bytes, by `disk.io.direction`), which neither host-metrics nor runtime-node provides. Read at
 * collection time only, so it costs one small file read per scrape. Not registered where /proc/self/io is missing
 * (not Linux, or a hardened /proc).
 */
export function observeProcessDiskIo(meter: Meter): void {
  if (currentProcessDiskIo() === undefined) return;
  const counter = meter.createObservableCounter(METRIC_PROCESS_DISK_IO, {
    description: 'Disk bytes transferred by this process.',
    unit: 'By',
  });
  counter.addCallback((result) => {
    const io = currentProcessDiskIo();
    if (io === undefined) return;
    result.observe(io.read, { [ATTR_DISK_IO_DIRECTION]: 'read' });
    result.observe(io.write, { [ATTR_DISK_IO_DIRECTION]: 'write' });
  });
}

/** This process's disk bytes read and written so far, or undefined where /proc/self/io cannot be read. */
export function currentProcessDiskIo(): { read: number; write: number } | undefined {
  try {
    return readProcessDiskIo(readFileSync(PROC_SELF_IO, 'utf8'));
  } catch {
    return undefined;
  }
}
