import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { Sampler, SpanExporter } from '@opentelemetry/sdk-trace';

export interface TelemetryOptions {
  /** Port of the Prometheus `/metrics` endpoint; 0 picks a free one. @default OTEL_EXPORTER_PROMETHEUS_PORT or 9464 */
  prometheusPort?: number;
  /** Interface the Prometheus endpoint listens on. @default OTEL_EXPORTER_PROMETHEUS_HOST or 0.0.0.0 */
  prometheusHost?: string;
  /**
   * Where spans go instead of OTLP (tests pass an InMemorySpanExporter). Exported one by one as they end, so a
   * span is there as soon as its response is. @default OTLP over HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, batched
   */
  spanExporter?: SpanExporter;
  /**
   * Where log records go instead of OTLP (tests pass an InMemoryLogRecordExporter), each as it is written.
   * @default OTLP to OTEL_EXPORTER_OTLP_ENDPOINT, batched
   */
  logExporter?: LogRecordExporter;
  /** @default parent-based, 10% of new traces, or what OTEL_TRACES_SAMPLER(_ARG) say */
  sampler?: Sampler;
  /** System and process CPU and memory from @opentelemetry/host-metrics, network from /proc/net/dev. @default true */
  hostMetrics?: boolean;
}

export interface TelemetryHandle {
  /** The Prometheus endpoint, or undefined when telemetry is off. */
  metricsUrl: string | undefined;
  /** Flushes spans, stops the Prometheus endpoint and removes every hook. Safe to call twice. */
  shutdown(): Promise<void>;
}

const DISABLED: TelemetryHandle = { metricsUrl: undefined, shutdown: async () => {} };

/**
 * Starts OpenTelemetry for this process: traces and logs (OTLP), metrics (Prometheus endpoint and the snapshot
 * reader of metricsSnapshot.ts), log correlation. Call it before the app imports pg and ioredis (register.ts does, via
 * `node --import`; tests call it first and import the app afterwards). With `OTEL_SDK_DISABLED=true` it does
 * nothing and loads no SDK code.
 *
 * @example
 *   const telemetry = await startTelemetry({ prometheusPort: 0 });
 *   // ... run the app ...
 *   await telemetry.shutdown();
 */
export async function startTelemetry(options: TelemetryOptions = {}): Promise<TelemetryHandle> {
  if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return DISABLED;
  const { startSdk } = await import('./startSdk.ts');
  return startSdk(options);
}
