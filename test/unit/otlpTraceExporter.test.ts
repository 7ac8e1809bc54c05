import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { otlpTraceExporter } from '../../app/src/telemetry/otlpTraceExporter.ts';

test('traces go out as OTLP http/protobuf unless a protocol is set', async () => {
  assert.ok((await otlpTraceExporter({})) instanceof ProtobufExporter);
  assert.ok((await otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' })) instanceof ProtobufExporter);
});

test('OTEL_EXPORTER_OTLP_PROTOCOL picks http/json or grpc; the traces-specific variable wins', async () => {
  assert.ok((await otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })) instanceof JsonExporter);
  assert.ok((await otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })) instanceof GrpcExporter);
  const exporter = await otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' });
  assert.ok(exporter instanceof ProtobufExporter);
});
