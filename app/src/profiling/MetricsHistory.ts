import type { Histogram, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { collectMetricsSnapshot } from '../telemetry/metricsSnapshot.ts';
import { histogramQuantile } from '../telemetry/snapshotQueries.ts';
import { RingBuffer } from './RingBuffer.ts';
import { readEndpointDurations, readResources, type ResourceReading } from './snapshotReadings.ts';

/** Latency of the requests one endpoint finished during one sampling interval. */
export interface IntervalLatency {
  p50Ms: number;
  p95Ms: number;
  count: number;
}

/** One point of the admin page's charts: the interval that ended at `time` (epoch ms). */
export interface HistorySample extends Omit<ResourceReading, 'cpuSeconds'> {
  time: number;
  /** CPU time per wall-clock time over the interval: 1 is one core fully busy. */
  cpuUtilization: number | undefined;
  /** Per endpoint (`GET /api/tasks`) that finished requests in the interval. */
  latency: Record<string, IntervalLatency>;
}

export interface MetricsHistoryOptions {
  /** Time between two samples. */
  intervalMs: number;
  /** How far back samples are kept. @default one hour */
  windowMs?: number;
  /** @default collectMetricsSnapshot (the OpenTelemetry snapshot reader; undefined when telemetry is off) */
  collect?: () => Promise<ResourceMetrics | undefined>;
}

interface Previous {
  time: number;
  cpuSeconds: number | undefined;
  endpoints: Map<string, Histogram>;
}

/**
 * The last hour of the admin page's charts, sampled every few seconds from the same OpenTelemetry instruments that
 * Prometheus scrapes: latency quantiles come from the differences of the cumulative duration histogram between two
 * samples (what `histogram_quantile(…, rate(…))` computes), CPU from the difference of process CPU time.
 */
export class MetricsHistory {
  readonly #samples: RingBuffer<HistorySample>;
  readonly #collect: () => Promise<ResourceMetrics | undefined>;
  readonly #intervalMs: number;
  #previous: Previous | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sampling: Promise<void> | undefined;

  constructor(options: MetricsHistoryOptions) {
    this.#intervalMs = options.intervalMs;
    this.#samples = new RingBuffer(Math.max(1, Math.ceil((options.windowMs ?? 3_600_000) / options.intervalMs)));
    this.#collect = options.collect ?? collectMetricsSnapshot;
  }

  start(): this {
    this.#timer ??= setInterval(() => {
      // A slow collection skips a tick rather than piling up.
      this.#sampling ??= this.sample().finally(() => (this.#sampling = undefined));
    }, this.#intervalMs).unref();
    this.#sampling = this.sample().finally(() => (this.#sampling = undefined));
    return this;
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** Oldest first. */
  samples(): HistorySample[] {
    return this.#samples.toArray();
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sampling;
  }

  /** Takes one sample now (the timer calls it; exposed for tests). The first one only sets the baseline. */
  async sample(time: number = Date.now()): Promise<void> {
    const snapshot = await this.#collect().catch(() => undefined);
    if (snapshot === undefined) return;
    const { cpuSeconds, ...resources } = readResources(snapshot);
    const endpoints = readEndpointDurations(snapshot);
    const previous = this.#previous;
    this.#previous = { time, cpuSeconds, endpoints };
    if (previous === undefined) return;
    const elapsedSeconds = (time - previous.time) / 1000;
    const cpuUtilization =
      cpuSeconds === undefined || previous.cpuSeconds === undefined || elapsedSeconds <= 0 ? undefined : (cpuSeconds - previous.cpuSeconds) / elapsedSeconds;
    this.#samples.push({ time, cpuUtilization, ...resources, latency: intervalLatencies(endpoints, previous.endpoints) });
  }
}

function intervalLatencies(now: Map<string, Histogram>, before: Map<string, Histogram>): Record<string, IntervalLatency> {
  const latency: Record<string, IntervalLatency> = {};
  for (const [endpoint, durations] of now) {
    const since = histogramSince(durations, before.get(endpoint));
    const p50 = histogramQuantile(0.5, since);
    const p95 = histogramQuantile(0.95, since);
    if (p50 === undefined || p95 === undefined) continue;
    latency[endpoint] = { p50Ms: p50 * 1000, p95Ms: p95 * 1000, count: since.count };
  }
  return latency;
}

/**
 * The observations of a cumulative histogram made after an earlier reading of it. Its min and max are unknown
 * (the SDK keeps them since the start only), so a quantile in the last bucket is that bucket's lower boundary.
 */
export function histogramSince(later: Histogram, earlier: Histogram | undefined): Histogram {
  if (earlier === undefined) return { buckets: later.buckets, count: later.count };
  return {
    buckets: { boundaries: later.buckets.boundaries, counts: later.buckets.counts.map((count, i) => count - (earlier.buckets.counts[i] ?? 0)) },
    count: later.count - earlier.count,
  };
}
