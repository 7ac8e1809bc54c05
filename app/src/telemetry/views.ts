import { AggregationType, createAllowListAttributesProcessor, InstrumentType, type IAttributesProcessor, type ViewOptions } from '@opentelemetry/sdk-metrics';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';

/**
 * Bucket boundaries (seconds) of every duration histogram: each alert threshold of the stack (0.1, 0.25, 0.5 and
 * 1 s) is a boundary, so an alert on "share of requests slower than X" is exact, not interpolated.
 */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const durationBuckets = { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: DURATION_BUCKETS_SECONDS } } as const;

/** Keeps only the labels docs/METRICS.md lists; the rest (scheme, ports, database name, error text) only multiply series. */
function keep(...attributes: string[]): IAttributesProcessor[] {
  return [createAllowListAttributesProcessor(attributes)];
}

/**
 * The views of the one MeterProvider, for the instrumentation packages' histograms. Selectors must not overlap (an
 * instrument that two views match is exported twice under one name). The app's and the hooks' own counters and
 * histograms are not the SDK's: PreAggregatedInstruments.ts gives their durations these buckets.
 */
export function metricViews(): ViewOptions[] {
  return [
    {
      instrumentName: METRIC_HTTP_CLIENT_REQUEST_DURATION,
      aggregation: durationBuckets,
      attributesProcessors: keep(ATTR_SERVER_ADDRESS, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE),
    },
    { meterName: '@opentelemetry/instrumentation-runtime-node', instrumentType: InstrumentType.HISTOGRAM, aggregation: durationBuckets },
  ];
}
