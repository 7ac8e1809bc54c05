import { metrics, type Meter } from '@opentelemetry/api';

/**
 * The meter for the app's own (business and dependency) metrics. Only the OpenTelemetry API is used here: the SDK
 * behind it is set up in telemetry/ (or by a test), and without one every instrument is a no-op.
 * Call it when creating instruments lazily, so they bind to whichever provider is registered by then.
 */
export function appMeter(): Meter {
  return metrics.getMeter('app');
}
