import type { MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics';

let snapshotReader: MetricReader | undefined;

/**
 * Registered by the telemetry set-up: a pull reader on the same MeterProvider that Prometheus scrapes, so the
 * admin page and /api/metrics read the very same numbers.
 */
export function setSnapshotReader(reader: MetricReader | undefined): void {
  snapshotReader = reader;
}

/** The current value of every metric, or undefined when telemetry is off. */
export async function collectMetricsSnapshot(): Promise<ResourceMetrics | undefined> {
  if (snapshotReader === undefined) return undefined;
  const { resourceMetrics } = await snapshotReader.collect();
  return resourceMetrics;
}
