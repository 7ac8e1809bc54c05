import { AggregationType, createAllowListAttributesProcessor, InstrumentType, type IAttributesProcessor, type ViewOptions } from '@opentelemetry/sdk-metrics';
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  METRIC_DB_CLIENT_OPERATION_DURATION,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import { ATTR_DB_CLIENT_CONNECTION_STATE } from './semconv.ts';

/**
 * Bucket boundaries (seconds) of every duration histogram: each alert threshold of the stack (0.1, 0.25, 0.5 and
 * 1 s) is a boundary, so an alert on "share of requests slower than X" is exact, not interpolated.
 */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The labels of `http_server_request_duration_seconds` (docs/METRICS.md). */
export const HTTP_SERVER_DURATION_ATTRIBUTES = [ATTR_HTTP_ROUTE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE];

const durationBuckets = { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: DURATION_BUCKETS_SECONDS } } as const;

/** Keeps only the labels docs/METRICS.md lists; the rest (scheme, ports, database name, error text) only multiply series. */
function keep(...attributes: string[]): IAttributesProcessor[] {
  return [createAllowListAttributesProcessor(attributes)];
}

/**
 * The views of the one MeterProvider. Selectors must not overlap (an instrument that two views match is exported
 * twice under one name), so the app's own meter must not create the semantic-convention instruments named here.
 */
export function metricViews(appMeterName: string): ViewOptions[] {
  return [
    {
      instrumentName: METRIC_HTTP_SERVER_REQUEST_DURATION,
      aggregation: durationBuckets,
      attributesProcessors: keep(...HTTP_SERVER_DURATION_ATTRIBUTES),
    },
    {
      instrumentName: METRIC_HTTP_CLIENT_REQUEST_DURATION,
      aggregation: durationBuckets,
      attributesProcessors: keep(ATTR_SERVER_ADDRESS, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE),
    },
    {
      instrumentName: METRIC_DB_CLIENT_OPERATION_DURATION,
      aggregation: durationBuckets,
      attributesProcessors: keep(ATTR_DB_SYSTEM_NAME, ATTR_DB_OPERATION_NAME),
    },
    // The pg pool's name is its host:port/database, which differs per test database and says nothing per process.
    { instrumentName: 'db.client.connection.*', attributesProcessors: keep(ATTR_DB_CLIENT_CONNECTION_STATE) },
    { meterName: appMeterName, instrumentType: InstrumentType.HISTOGRAM, instrumentUnit: 's', aggregation: durationBuckets },
    { meterName: '@opentelemetry/instrumentation-runtime-node', instrumentType: InstrumentType.HISTOGRAM, aggregation: durationBuckets },
  ];
}
