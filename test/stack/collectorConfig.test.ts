import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { assertDocumentedFields, assertPipelines, type CollectorConfig } from '../support/collectorConfigCheck.ts';

const config = parse(await readFile('collector/config.yaml', 'utf8')) as CollectorConfig;

describe('collector/config.yaml against the pinned collector', () => {
  it('uses only components and fields the pinned collector documents', () => {
    assertDocumentedFields(config);
  });

  it('listens on all interfaces on the ports the stack uses (4317, 4318, 13133, 8888)', () => {
    const protocols = config.receivers.otlp!.protocols as Record<string, { endpoint: string }>;
    assert.deepEqual(Object.keys(protocols).sort(), ['grpc', 'http']);
    assert.equal(protocols.grpc?.endpoint, '0.0.0.0:4317');
    assert.equal(protocols.http?.endpoint, '0.0.0.0:4318');
    assert.equal(config.extensions.health_check!.endpoint, '0.0.0.0:13133');
    assert.deepEqual(config.service.telemetry.metrics.readers, [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888 } } } }]);
  });

  it('runs every pipeline through memory_limiter first, then batch, and names only defined components', () => {
    assertPipelines(config);
  });

  it('sends traces to Tempo on the port Tempo receives OTLP gRPC, and the app to the collector', async () => {
    const tempo = parse(await readFile('tempo/tempo.yaml', 'utf8')) as { distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: string } } } } } };
    const port = tempo.distributor.receivers.otlp.protocols.grpc.endpoint.split(':')[1];
    assert.deepEqual(config.service.pipelines.traces?.exporters.map((id) => config.exporters[id]?.endpoint), [`tempo:${port}`]);
    const compose = parse(await readFile('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, { environment?: Record<string, string> }> };
    assert.equal(compose.services.app?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel-collector:4318');
  });

  it('sends logs to Loki\'s OTLP endpoint on the port Loki listens', async () => {
    const loki = parse(await readFile('loki/loki.yaml', 'utf8')) as { server: { http_listen_port: number } };
    assert.deepEqual(config.service.pipelines.logs?.exporters.map((id) => config.exporters[id]?.endpoint), [`http://loki:${loki.server.http_listen_port}/otlp`]);
    assert.deepEqual(config.service.pipelines.logs?.receivers, ['otlp']);
  });

  it('sets GOMEMLIMIT and the container limit as the memory_limiter README says, with room for the validate healthcheck', async () => {
    const compose = parse(await readFile('docker-compose.yml', 'utf8')) as { services: Record<string, { environment: Record<string, string>; mem_limit: string; healthcheck: { test: string[] } }> };
    const collector = compose.services['otel-collector']!;
    const { limit_mib: limitMib } = config.processors.memory_limiter as { limit_mib: number };
    // "GOMEMLIMIT should be set to 80% of the hard memory limit" (limit_mib).
    assert.equal(collector.environment.GOMEMLIMIT, `${0.8 * limitMib}MiB`);
    // "the total memory usage of process will be about 50MiB higher than" limit_mib; `validate` is a second process.
    const containerMib = Number(/^(\d+)m$/.exec(collector.mem_limit)?.[1]);
    const validateBudgetMib = collector.healthcheck.test.includes('validate') ? 128 : 0;
    assert.ok(containerMib >= limitMib + 50 + validateBudgetMib, `mem_limit ${collector.mem_limit} for limit_mib ${limitMib}`);
  });
});
