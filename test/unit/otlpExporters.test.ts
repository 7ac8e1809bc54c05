import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { otlpLogExporter, otlpTraceExporter } from '../../app/src/telemetry/otlpExporters.ts';

test('traces and logs go out as OTLP http/protobuf unless a protocol is set', async () => {
  assert.ok((await otlpTraceExporter({})) instanceof ProtobufExporter);
  assert.ok((await otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' })) instanceof ProtobufExporter);
  assert.ok((await otlpLogExporter({})) instanceof ProtobufLogExporter);
});

test('OTEL_EXPORTER_OTLP_PROTOCOL picks http/json or grpc; the signal-specific variable wins', async () => {
  assert.ok((await otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })) instanceof JsonExporter);
  assert.ok((await otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })) instanceof GrpcExporter);
  const exporter = await otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' });
  assert.ok(exporter instanceof ProtobufExporter);
  assert.ok((await otlpLogExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' })) instanceof GrpcLogExporter);
});
