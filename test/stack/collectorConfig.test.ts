import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

/**
 * The collector cannot run here, so collector/config.yaml is checked against what the pinned collector
 * (otel/opentelemetry-collector-contrib, OTELCOL_VERSION in .env) documents for the components it uses. Only the
 * fields this project may use are listed, each with where it comes from:
 * - otlp receiver: receiver/otlpreceiver/README.md (opentelemetry-collector): `protocols` with `grpc` and `http`,
 *   each a server config with `endpoint` (config/confighttp, config/configgrpc).
 * - memory_limiter: processor/memorylimiterprocessor/README.md, "Configuration": `check_interval`, `limit_mib`,
 *   `spike_limit_mib`, `limit_percentage`, `spike_limit_percentage`.
 * - batch: processor/batchprocessor/README.md: `send_batch_size`, `timeout`, `send_batch_max_size`.
 * - otlp exporter: exporter/otlpexporter/README.md with config/configgrpc's client settings (`endpoint`,
 *   `compression`, `headers`, `keepalive`, `balancer_name`, `tls`) and config/configtls/README.md (`insecure`,
 *   `ca_file`, `cert_file`, `key_file`, `insecure_skip_verify`).
 * - otlphttp exporter: exporter/otlphttpexporter/README.md and config.go (opentelemetry-collector): `endpoint` (to
 *   which `/v1/logs` is appended unless `logs_endpoint` is set), `traces_endpoint`, `metrics_endpoint`,
 *   `logs_endpoint`, `encoding`, and config/confighttp's client settings (`tls`, `timeout`, `headers`,
 *   `compression`, `read_buffer_size`, `write_buffer_size`) with exporterhelper's `sending_queue` and
 *   `retry_on_failure`.
 * - health_check: extension/healthcheckextension/README.md (opentelemetry-collector-contrib): `endpoint`, `path`,
 *   `response_body`, `tls`; its default endpoint is localhost:13133, so a container must set 0.0.0.0.
 * - service::telemetry::metrics: the collector's "Internal telemetry" documentation: `level` (none, basic, normal,
 *   detailed) and `readers` with `pull.exporter.prometheus.{host, port}` (the older `address` field is deprecated).
 */
const KNOWN: Record<string, Record<string, readonly string[]>> = {
  receivers: { otlp: ['protocols'] },
  processors: {
    memory_limiter: ['check_interval', 'limit_mib', 'spike_limit_mib', 'limit_percentage', 'spike_limit_percentage'],
    batch: ['send_batch_size', 'timeout', 'send_batch_max_size'],
  },
  exporters: {
    otlp: ['endpoint', 'compression', 'headers', 'keepalive', 'balancer_name', 'tls'],
    otlphttp: [
      'endpoint', 'traces_endpoint', 'metrics_endpoint', 'logs_endpoint', 'encoding', 'tls', 'timeout', 'headers',
      'compression', 'read_buffer_size', 'write_buffer_size', 'sending_queue', 'retry_on_failure',
    ],
  },
  extensions: { health_check: ['endpoint', 'path', 'response_body', 'tls'] },
};
const OTLP_PROTOCOL_FIELDS = ['endpoint'];
const TLS_FIELDS = ['insecure', 'ca_file', 'cert_file', 'key_file', 'insecure_skip_verify'];
const TELEMETRY_LEVELS = ['none', 'basic', 'normal', 'detailed'];

type Section = Record<string, Record<string, unknown> | null>;
interface CollectorConfig {
  receivers: Section;
  processors: Section;
  exporters: Section;
  extensions: Section;
  service: {
    extensions: string[];
    pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }>;
    telemetry: { metrics: { level: string; readers: Array<{ pull: { exporter: { prometheus: { host: string; port: number } } } }> } };
  };
}

const config = parse(await readFile('collector/config.yaml', 'utf8')) as CollectorConfig;
/** `otlp/tempo` is an instance of the `otlp` type, `otlphttp/loki` one of `otlphttp`. */
const typeOf = (id: string): string => id.split('/')[0]!;

describe('collector/config.yaml against the pinned collector', () => {
  for (const section of ['receivers', 'processors', 'exporters', 'extensions'] as const) {
    it(`uses only known ${section} and their documented fields`, () => {
      for (const [id, settings] of Object.entries(config[section])) {
        const fields = KNOWN[section]![typeOf(id)];
        assert.ok(fields, `${section}: unknown component type "${typeOf(id)}"`);
        for (const field of Object.keys(settings ?? {})) assert.ok(fields.includes(field), `${id}: unknown field "${field}"`);
      }
    });
  }

  it('sets the nested OTLP and TLS fields by their documented names', () => {
    const protocols = config.receivers.otlp!.protocols as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(protocols).sort(), ['grpc', 'http']);
    for (const server of Object.values(protocols)) {
      for (const field of Object.keys(server)) assert.ok(OTLP_PROTOCOL_FIELDS.includes(field), field);
    }
    for (const [id, exporter] of Object.entries(config.exporters)) {
      for (const field of Object.keys((exporter?.tls ?? {}) as object)) assert.ok(TLS_FIELDS.includes(field), `${id}.tls.${field}`);
    }
  });

  it('listens on all interfaces on the ports the stack uses (4317, 4318, 13133, 8888)', () => {
    const protocols = config.receivers.otlp!.protocols as Record<string, { endpoint: string }>;
    assert.equal(protocols.grpc?.endpoint, '0.0.0.0:4317');
    assert.equal(protocols.http?.endpoint, '0.0.0.0:4318');
    assert.equal(config.extensions.health_check!.endpoint, '0.0.0.0:13133');
    const { metrics } = config.service.telemetry;
    assert.ok(TELEMETRY_LEVELS.includes(metrics.level));
    assert.deepEqual(metrics.readers, [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888 } } } }]);
  });

  it('runs every pipeline through memory_limiter first, then batch, and names only defined components', () => {
    for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
      assert.deepEqual(pipeline.processors.slice(0, 2), ['memory_limiter', 'batch'], name);
      for (const id of pipeline.receivers) assert.ok(id in config.receivers, `${name}: ${id}`);
      for (const id of pipeline.processors) assert.ok(id in config.processors, `${name}: ${id}`);
      for (const id of pipeline.exporters) assert.ok(id in config.exporters, `${name}: ${id}`);
    }
    for (const id of config.service.extensions) assert.ok(id in config.extensions, id);
    const limiter = config.processors.memory_limiter as { limit_mib: number; spike_limit_mib: number; check_interval: string };
    assert.ok(limiter.spike_limit_mib < limiter.limit_mib, 'spike_limit_mib must be below limit_mib');
    assert.match(limiter.check_interval, /^\d+m?s$/);
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
