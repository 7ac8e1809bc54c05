import { freemem, totalmem } from 'node:os';
import { readNetworkIo, type NetworkIo } from '../procfs/networkIo.ts';
import { readSystemCpuTimes, type SystemCpuTimes } from '../procfs/systemCpuTimes.ts';
import { currentProcessDiskIo } from '../telemetry/processDiskIo.ts';

/** One sample; CPU and I/O are what happened since the previous sample. Null where Linux's /proc is not readable. */
export interface ResourceSample {
  /** Epoch milliseconds. */
  time: number;
  /** This process's CPU time over wall time, in % of one core (above 100 when several threads are busy). */
  processCpuPercent: number;
  /** Busy share of all the machine's CPUs (0–100). */
  systemCpuPercent: number | null;
  rssBytes: number;
  heapUsedBytes: number;
  systemMemoryUsedBytes: number;
  diskReadBytes: number | null;
  diskWriteBytes: number | null;
  networkReceiveBytes: number | null;
  networkTransmitBytes: number | null;
}

export interface Spread {
  avg: number;
  max: number;
}

export interface ResourceSummary {
  durationMs: number;
  sampleCount: number;
  processCpuPercent: Spread;
  systemCpuPercent: Spread | null;
  rssBytes: Spread;
  heapUsedBytes: Spread;
  systemMemoryUsedBytes: Spread;
  systemMemoryTotalBytes: number;
  /** Totals over the whole run. */
  diskReadBytes: number | null;
  diskWriteBytes: number | null;
  networkReceiveBytes: number | null;
  networkTransmitBytes: number | null;
}

interface Counters {
  time: number;
  wallUs: number;
  cpu: NodeJS.CpuUsage;
  system: SystemCpuTimes | undefined;
  disk: { read: number; write: number } | undefined;
  network: NetworkIo | undefined;
}

/**
 * Samples process and system CPU, memory, disk and network I/O at a fixed interval (the seed's ResourceMonitor).
 * The timer is unref'd, so a forgotten monitor never keeps the process alive; stop() takes a last sample.
 *
 * @example
 *   const monitor = new ResourceMonitor();
 *   monitor.start(500);
 *   await runLoad();
 *   const { samples, summary } = monitor.stop();
 */
export class ResourceMonitor {
  #samples: ResourceSample[] = [];
  #timer: NodeJS.Timeout | undefined;
  #previous: Counters | undefined;
  #startedAt = 0;

  /** Starts sampling every `intervalMs` (a running monitor is restarted with no samples). @default 1000 */
  start(intervalMs = 1000): void {
    this.stopTimer();
    this.#samples = [];
    this.#previous = readCounters();
    this.#startedAt = this.#previous.time;
    this.#timer = setInterval(() => this.sample(), intervalMs).unref();
  }

  /** Stops sampling and returns every sample and their summary. */
  stop(): { samples: ResourceSample[]; summary: ResourceSummary } {
    if (this.#previous === undefined) throw new Error('ResourceMonitor.stop() before start()');
    this.sample();
    this.stopTimer();
    this.#previous = undefined;
    return { samples: this.#samples, summary: summarize(this.#samples, this.#samples.at(-1)!.time - this.#startedAt) };
  }

  private sample(): void {
    const previous = this.#previous!;
    const now = readCounters();
    this.#previous = now;
    const wallUs = Math.max(1, now.wallUs - previous.wallUs);
    const cpuUs = now.cpu.user + now.cpu.system - previous.cpu.user - previous.cpu.system;
    const memory = process.memoryUsage();
    this.#samples.push({
      time: now.time,
      processCpuPercent: (100 * cpuUs) / wallUs,
      systemCpuPercent: delta(now.system, previous.system, (n, p) => {
        const total = n.totalTicks - p.totalTicks;
        return total === 0 ? 0 : (100 * (n.busyTicks - p.busyTicks)) / total;
      }),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      systemMemoryUsedBytes: totalmem() - freemem(),
      diskReadBytes: delta(now.disk, previous.disk, (n, p) => n.read - p.read),
      diskWriteBytes: delta(now.disk, previous.disk, (n, p) => n.write - p.write),
      networkReceiveBytes: delta(now.network, previous.network, (n, p) => n.receiveBytes - p.receiveBytes),
      networkTransmitBytes: delta(now.network, previous.network, (n, p) => n.transmitBytes - p.transmitBytes),
    });
  }

  private stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

function readCounters(): Counters {
  return {
    time: Date.now(),
    wallUs: performance.now() * 1000,
    cpu: process.cpuUsage(),
    system: readSystemCpuTimes(),
    disk: currentProcessDiskIo(),
    network: readNetworkIo(),
  };
}

function delta<T>(now: T | undefined, previous: T | undefined, difference: (now: T, previous: T) => number): number | null {
  return now === undefined || previous === undefined ? null : difference(now, previous);
}

function summarize(samples: ResourceSample[], durationMs: number): ResourceSummary {
  const spread = (values: number[]): Spread => ({ avg: values.reduce((sum, v) => sum + v, 0) / values.length, max: Math.max(...values) });
  const present = (values: (number | null)[]): number[] | null => (values.includes(null) ? null : (values as number[]));
  const spreadOf = (values: (number | null)[]): Spread | null => {
    const known = present(values);
    return known === null ? null : spread(known);
  };
  const totalOf = (values: (number | null)[]): number | null => present(values)?.reduce((sum, v) => sum + v, 0) ?? null;
  return {
    durationMs,
    sampleCount: samples.length,
    processCpuPercent: spread(samples.map((s) => s.processCpuPercent)),
    systemCpuPercent: spreadOf(samples.map((s) => s.systemCpuPercent)),
    rssBytes: spread(samples.map((s) => s.rssBytes)),
    heapUsedBytes: spread(samples.map((s) => s.heapUsedBytes)),
    systemMemoryUsedBytes: spread(samples.map((s) => s.systemMemoryUsedBytes)),
    systemMemoryTotalBytes: totalmem(),
    diskReadBytes: totalOf(samples.map((s) => s.diskReadBytes)),
    diskWriteBytes: totalOf(samples.map((s) => s.diskWriteBytes)),
    networkReceiveBytes: totalOf(samples.map((s) => s.networkReceiveBytes)),
    networkTransmitBytes: totalOf(samples.map((s) => s.networkTransmitBytes)),
  };
}
