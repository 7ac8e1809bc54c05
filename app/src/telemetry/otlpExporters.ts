import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { logTelemetry } from './telemetryLog.ts';

const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
type Protocol = (typeof OTLP_PROTOCOLS)[number];

/**
 * The protocol of one signal: `OTEL_EXPORTER_OTLP_<SIGNAL>_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else
 * `http/protobuf` (the specification's default). Endpoint, headers and timeout come from the standard
 * `OTEL_EXPORTER_OTLP_*` variables, which each exporter reads itself.
 */
function protocolOf(signal: 'TRACES' | 'LOGS', env: NodeJS.ProcessEnv): Protocol {
  const protocol = (env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim() || 'http/protobuf';
  if ((OTLP_PROTOCOLS as readonly string[]).includes(protocol)) return protocol as Protocol;
  logTelemetry('warn', `unsupported OTLP protocol "${protocol}"; using http/protobuf`, { supported: OTLP_PROTOCOLS });
  return 'http/protobuf';
}

/** The OTLP trace exporter of the configured protocol; only the chosen package is loaded. */
export async function otlpTraceExporter(env: NodeJS.ProcessEnv = process.env): Promise<SpanExporter> {
  switch (protocolOf('TRACES', env)) {
    case 'http/json':
      return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
    case 'grpc':
      return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter();
    default:
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
  }
}

/** The OTLP log exporter of the configured protocol; only the chosen package is loaded. */
export async function otlpLogExporter(env: NodeJS.ProcessEnv = process.env): Promise<LogRecordExporter> {
  switch (protocolOf('LOGS', env)) {
    case 'http/json':
      return new (await import('@opentelemetry/exporter-logs-otlp-http')).OTLPLogExporter();
    case 'grpc':
      return new (await import('@opentelemetry/exporter-logs-otlp-grpc')).OTLPLogExporter();
    default:
      return new (await import('@opentelemetry/exporter-logs-otlp-proto')).OTLPLogExporter();
  }
}
