import { MetricReader } from '@opentelemetry/sdk-metrics';

/**
 * A pull reader beside the Prometheus exporter on the same MeterProvider: `/api/metrics` and the admin page call
 * `collect()` on it (through metricsSnapshot.ts) and see the very numbers Prometheus scrapes, under their
 * OpenTelemetry names. Cumulative temporality, like the exporter, so both readers agree.
 */
export class SnapshotReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}
