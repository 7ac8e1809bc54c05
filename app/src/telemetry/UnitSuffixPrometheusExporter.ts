import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { CollectionResult, MetricReader } from '@opentelemetry/sdk-metrics';
import { withUnitSuffixes } from './prometheusNames.ts';

/**
 * The Prometheus exporter with unit suffixes in metric names (`http_server_request_duration_seconds`), which
 * exporter-prometheus 0.301 does not add and has no option for. Every scrape goes through `collect()`, so renaming
 * there changes what Prometheus sees and nothing else (the snapshot reader keeps the OpenTelemetry names).
 */
export class UnitSuffixPrometheusExporter extends PrometheusExporter {
  override async collect(options?: Parameters<MetricReader['collect']>[0]): Promise<CollectionResult> {
    const result = await super.collect(options);
    return { ...result, resourceMetrics: withUnitSuffixes(result.resourceMetrics) };
  }
}
