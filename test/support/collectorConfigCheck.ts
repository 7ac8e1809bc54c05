import assert from 'node:assert/strict';

/**
 * The collector cannot run here, so its configs (collector/config.yaml of the compose stack, the Kubernetes
 * sidecar's deploy/collector-sidecar.yaml) are checked against what the pinned collector
 * (otel/opentelemetry-collector-contrib, OTELCOL_VERSION in .env) documents for the components they use. Only the
 * fields this project may use are listed, each with where it comes from:
 * - otlp receiver: receiver/otlpreceiver/README.md (opentelemetry-collector): `protocols` with `grpc` and `http`,
 *   each a server config with `endpoint` (config/confighttp, config/configgrpc).
 * - memory_limiter: processor/memorylimiterprocessor/README.md, "Configuration": `check_interval`, `limit_mib`,
 *   `spike_limit_mib`, `limit_percentage`, `spike_limit_percentage`.
 * - batch: processor/batchprocessor/README.md: `send_batch_size`, `timeout`, `send_batch_max_size`.
 * - otlp exporter: exporter/otlpexporter/README.md with config/configgrpc's client settings (`endpoint`,
 *   `compression`, `headers`, `keepalive`, `balancer_name`, `tls`) and config/configtls/README.md (`insecure`,
 *   `ca_file`, `cert_file`, `key_file`, `insecure_skip_verify`).
 * - otlphttp exporter: exporter/otlphttpexporter/README.md: `endpoint` (the signal path `/v1/logs` etc. is
 *   appended), `traces_endpoint`, `metrics_endpoint`, `logs_endpoint`, `tls`, `compression`, `timeout`, `headers`,
 *   `encoding` (proto or json), and the exporterhelper's `sending_queue` and `retry_on_failure`.
 * - health_check: extension/healthcheckextension/README.md (opentelemetry-collector-contrib): `endpoint`, `path`,
 *   `response_body`, `tls`; its default endpoint is localhost:13133, so a container must set 0.0.0.0.
 * - service::telemetry::metrics: the collector's "Internal telemetry" documentation: `level` (none, basic, normal,
 *   detailed) and `readers` with `pull.exporter.prometheus.{host, port}` (the older `address` field is deprecated).
 * - `${env:NAME}` values: the collector's "Configuration" documentation, environment variables (confmap's env
 *   provider, the default scheme).
 */
const KNOWN: Record<string, Record<string, readonly string[]>> = {
  receivers: { otlp: ['protocols'] },
  processors: {
    memory_limiter: ['check_interval', 'limit_mib', 'spike_limit_mib', 'limit_percentage', 'spike_limit_percentage'],
    batch: ['send_batch_size', 'timeout', 'send_batch_max_size'],
  },
  exporters: {
    otlp: ['endpoint', 'compression', 'headers', 'keepalive', 'balancer_name', 'tls'],
    otlphttp: ['endpoint', 'traces_endpoint', 'metrics_endpoint', 'logs_endpoint', 'tls', 'compression', 'timeout', 'headers', 'encoding', 'sending_queue', 'retry_on_failure'],
  },
  extensions: { health_check: ['endpoint', 'path', 'response_body', 'tls'] },
};
const OTLP_PROTOCOL_FIELDS = ['endpoint'];
const TLS_FIELDS = ['insecure', 'ca_file', 'cert_file', 'key_file', 'insecure_skip_verify'];
const TELEMETRY_LEVELS = ['none', 'basic', 'normal', 'detailed'];

type Section = Record<string, Record<string, unknown> | null>;
export interface CollectorConfig {
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

/** `otlp/tempo` is a second instance of the `otlp` type. */
const typeOf = (id: string): string => id.split('/')[0]!;

/** Fails when a component, field or nested OTLP/TLS field is not one the pinned collector documents. */
export function assertDocumentedFields(config: CollectorConfig): void {
  for (const section of ['receivers', 'processors', 'exporters', 'extensions'] as const) {
    for (const [id, settings] of Object.entries(config[section])) {
      const fields = KNOWN[section]![typeOf(id)];
      assert.ok(fields, `${section}: unknown component type "${typeOf(id)}"`);
      for (const field of Object.keys(settings ?? {})) assert.ok(fields.includes(field), `${id}: unknown field "${field}"`);
    }
  }
  const protocols = config.receivers.otlp!.protocols as Record<string, Record<string, unknown>>;
  for (const name of Object.keys(protocols)) assert.ok(['grpc', 'http'].includes(name), `otlp receiver: unknown protocol ${name}`);
  for (const server of Object.values(protocols)) {
    for (const field of Object.keys(server)) assert.ok(OTLP_PROTOCOL_FIELDS.includes(field), field);
  }
  for (const [id, exporter] of Object.entries(config.exporters)) {
    for (const field of Object.keys((exporter?.tls ?? {}) as object)) assert.ok(TLS_FIELDS.includes(field), `${id}.tls.${field}`);
  }
  assert.ok(TELEMETRY_LEVELS.includes(config.service.telemetry.metrics.level), config.service.telemetry.metrics.level);
}

/** Fails unless every pipeline starts with memory_limiter then batch and names only defined components. */
export function assertPipelines(config: CollectorConfig): void {
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
}
