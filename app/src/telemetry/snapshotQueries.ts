import type { DataPoint, Histogram, ResourceMetrics } from '@opentelemetry/sdk-metrics';

// Types only from the SDK, and data points told apart by their values: the app imports this module even when
// telemetry is off (OTEL_SDK_DISABLED), and then must not load the SDK.

/** Data points of one histogram or counter in a snapshot of metricsSnapshot.ts, across all meters. */
export function histogramPoints(snapshot: ResourceMetrics | undefined, name: string): DataPoint<Histogram>[] {
  return pointsNamed(snapshot, name).filter((point): point is DataPoint<Histogram> => typeof point.value === 'object' && point.value !== null && 'buckets' in point.value);
}

/** Data points of one counter or gauge (observable or synchronous) in a snapshot. */
export function numberPoints(snapshot: ResourceMetrics | undefined, name: string): DataPoint<number>[] {
  return pointsNamed(snapshot, name).filter((point): point is DataPoint<number> => typeof point.value === 'number');
}

/** Bucket counts of several data points of one histogram (same boundaries) added up, e.g. over all outcomes. */
export function mergeHistograms(points: DataPoint<Histogram>[]): Histogram | undefined {
  const [first, ...rest] = points.map((point) => point.value);
  if (first === undefined) return undefined;
  const merged: Histogram = { ...first, buckets: { boundaries: first.buckets.boundaries, counts: [...first.buckets.counts] } };
  for (const value of rest) {
    merged.count += value.count;
    merged.sum = (merged.sum ?? 0) + (value.sum ?? 0);
    value.buckets.counts.forEach((count, i) => (merged.buckets.counts[i] = (merged.buckets.counts[i] ?? 0) + count));
    if (value.min !== undefined) merged.min = Math.min(merged.min ?? Infinity, value.min);
    if (value.max !== undefined) merged.max = Math.max(merged.max ?? -Infinity, value.max);
  }
  return merged;
}

/**
 * The q-quantile (0–1) of a histogram, interpolated linearly inside its bucket as Prometheus's histogram_quantile()
 * does, so it agrees with the dashboards; clamped to the recorded min and max, which the SDK keeps. Undefined when
 * the histogram is empty.
 */
export function histogramQuantile(q: number, histogram: Histogram): number | undefined {
  const { boundaries, counts } = histogram.buckets;
  if (histogram.count === 0) return undefined;
  const rank = q * histogram.count;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (count > 0 && seen + count >= rank) {
      const lower = i === 0 ? Math.min(0, histogram.min ?? 0) : boundaries[i - 1]!;
      const upper = i < boundaries.length ? boundaries[i]! : (histogram.max ?? lower);
      return clamp(lower + ((upper - lower) * (rank - seen)) / count, histogram.min, histogram.max);
    }
    seen += count;
  }
  return histogram.max;
}

function clamp(value: number, min: number | undefined, max: number | undefined): number {
  return Math.min(max ?? Infinity, Math.max(min ?? -Infinity, value));
}

function pointsNamed(snapshot: ResourceMetrics | undefined, name: string): DataPoint<unknown>[] {
  return (snapshot?.scopeMetrics ?? []).flatMap((scope) => scope.metrics.filter((metric) => metric.descriptor.name === name)).flatMap((metric) => metric.dataPoints as DataPoint<unknown>[]);
}
