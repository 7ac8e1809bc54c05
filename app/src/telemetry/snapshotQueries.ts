import type { DataPoint, DataPointType, Histogram, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/**
 * The SDK's DataPointType values, spelled out: the app's profiling code reads snapshots through this file, and a
 * runtime import of the enum would load the SDK even with OTEL_SDK_DISABLED=true. Pinned to the SDK by a unit test.
 */
export const POINT_TYPES = {
  HISTOGRAM: 0 as DataPointType.HISTOGRAM,
  GAUGE: 2 as DataPointType.GAUGE,
  SUM: 3 as DataPointType.SUM,
};

/** Data points of one histogram or counter in a snapshot of metricsSnapshot.ts, across all meters. */
export function histogramPoints(snapshot: ResourceMetrics | undefined, name: string): DataPoint<Histogram>[] {
  return metricsNamed(snapshot, name).flatMap((metric) => (metric.dataPointType === POINT_TYPES.HISTOGRAM ? metric.dataPoints : []));
}

export function sumPoints(snapshot: ResourceMetrics | undefined, name: string): DataPoint<number>[] {
  return metricsNamed(snapshot, name).flatMap((metric) => (metric.dataPointType === POINT_TYPES.SUM ? metric.dataPoints : []));
}

/** Data points of one gauge (observable or synchronous) in a snapshot. */
export function gaugePoints(snapshot: ResourceMetrics | undefined, name: string): DataPoint<number>[] {
  return metricsNamed(snapshot, name).flatMap((metric) => (metric.dataPointType === POINT_TYPES.GAUGE ? metric.dataPoints : []));
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

function metricsNamed(snapshot: ResourceMetrics | undefined, name: string) {
  return (snapshot?.scopeMetrics ?? []).flatMap((scope) => scope.metrics.filter((metric) => metric.descriptor.name === name));
}
