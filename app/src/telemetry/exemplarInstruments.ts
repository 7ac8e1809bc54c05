import { METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';
import { ExemplarStore, type ExemplarStoreOptions } from './exemplars.ts';
import { DURATION_BUCKETS_SECONDS } from './views.ts';

/** The recommendation domain's catalog attempt histogram (recommendationMetrics.ts). */
const CATALOG_REQUEST_DURATION = 'app.catalog.request.duration';

/**
 * The latency histograms whose buckets carry exemplars (docs/METRICS.md), with the duration buckets
 * PreAggregatedInstruments.ts gives them, so that each exemplar sits on a bucket of a series Prometheus has.
 */
export function latencyExemplarStore(options: ExemplarStoreOptions = {}): ExemplarStore {
  return new ExemplarStore(
    [
      // Recorded by httpServerTelemetry.ts with exactly its series' attributes.
      { name: METRIC_HTTP_SERVER_REQUEST_DURATION, unit: 's', boundaries: DURATION_BUCKETS_SECONDS },
      { name: CATALOG_REQUEST_DURATION, unit: 's', boundaries: DURATION_BUCKETS_SECONDS },
    ],
    options,
  );
}
