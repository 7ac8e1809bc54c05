import type { DataPoint, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { collectMetricsSnapshot } from '../telemetry/metricsSnapshot.ts';
import { histogramPoints, histogramQuantile, mergeHistograms, numberPoints } from '../telemetry/snapshotQueries.ts';

/** One catalog endpoint's outbound calls since the process started. */
export interface CatalogCallStats {
  endpoint: string;
  /** HTTP attempts, retries included. */
  calls: number;
  /** Attempts that did not end in a 2xx (rate limited, 4xx, 5xx, timeout, network error). */
  errors: number;
  /** errors / calls (0–1). */
  errorRate: number;
  retries: number;
  /** Calls refused at once by the open circuit breaker (never sent). */
  breakerRejections: number;
  /** Duration percentiles estimated from the histogram buckets, as Prometheus would; null before any call. */
  p50Ms: number | null;
  p95Ms: number | null;
  avgMs: number | null;
  /** Average size of the response bodies read; null before any. */
  avgResponseBytes: number | null;
  /** Attempts by outcome (`success`, `rate_limited`, `server_error`, …). */
  outcomes: Record<string, number>;
}

/**
 * Per catalog endpoint, the outbound call statistics (the seed's ProfiledSession) read from the very OpenTelemetry
 * instruments the catalog client records (`app_catalog_*` in docs/METRICS.md), so they agree with Prometheus.
 * Empty when telemetry is off.
 *
 * @example
 *   const [top] = await catalogCallStats(); // { endpoint: 'top', calls: 120, errors: 3, errorRate: 0.025, p95Ms: 48, … }
 */
export async function catalogCallStats(): Promise<CatalogCallStats[]> {
  return catalogCallStatsOf(await collectMetricsSnapshot());
}

export function catalogCallStatsOf(snapshot: ResourceMetrics | undefined): CatalogCallStats[] {
  const durations = histogramPoints(snapshot, 'app.catalog.request.duration');
  const sizes = histogramPoints(snapshot, 'app.catalog.response.size');
  const retries = numberPoints(snapshot, 'app.catalog.retries');
  const rejections = numberPoints(snapshot, 'app.catalog.breaker.rejections');
  const endpoints = new Set([...durations, ...rejections].map(endpointOf));
  return [...endpoints].sort().map((endpoint) => {
    const mine = <T>(points: DataPoint<T>[]): DataPoint<T>[] => points.filter((point) => endpointOf(point) === endpoint);
    const attempts = mine(durations);
    const outcomes: Record<string, number> = {};
    for (const point of attempts) {
      const outcome = String(point.attributes.outcome);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + point.value.count;
    }
    const duration = mergeHistograms(attempts);
    const size = mergeHistograms(mine(sizes));
    const calls = duration?.count ?? 0;
    const errors = calls - (outcomes.success ?? 0);
    const ms = (seconds: number | undefined): number | null => (seconds === undefined ? null : round(seconds * 1000));
    return {
      endpoint,
      calls,
      errors,
      errorRate: calls === 0 ? 0 : round(errors / calls, 4),
      retries: total(mine(retries)),
      breakerRejections: total(mine(rejections)),
      p50Ms: duration === undefined ? null : ms(histogramQuantile(0.5, duration)),
      p95Ms: duration === undefined ? null : ms(histogramQuantile(0.95, duration)),
      avgMs: calls === 0 ? null : ms((duration?.sum ?? 0) / calls),
      avgResponseBytes: size === undefined || size.count === 0 ? null : Math.round((size.sum ?? 0) / size.count),
      outcomes,
    };
  });
}

function endpointOf(point: DataPoint<unknown>): string {
  return String(point.attributes['catalog.endpoint']);
}

function total(points: DataPoint<number>[]): number {
  return points.reduce((sum, point) => sum + point.value, 0);
}

function round(value: number, digits = 2): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
