import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { logTelemetry } from './telemetryLog.ts';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;

/**
 * The OTLP trace exporter for `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` or `OTEL_EXPORTER_OTLP_PROTOCOL`: `http/protobuf`
 * (the specification's default), `http/json` or `grpc`. Only the chosen package is loaded. Endpoint, headers and
 * timeout come from the standard `OTEL_EXPORTER_OTLP_*` variables, which each exporter reads itself.
 */
export async function otlpTraceExporter(env: NodeJS.ProcessEnv = process.env): Promise<SpanExporter> {
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim() || 'http/protobuf';
  switch (protocol) {
    case 'http/json':
      return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
    case 'grpc':
      return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter();
    default:
      if (protocol !== 'http/protobuf') logTelemetry('warn', `unsupported OTLP protocol "${protocol}"; using http/protobuf`, { supported: OTLP_PROTOCOLS });
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
  }
}
