import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { unknownKeys, type KeyTree } from '../support/configKeys.ts';

/**
 * Tempo refuses unknown keys (its config is read strictly) and cannot run here, so tempo/tempo.yaml is checked
 * against the yaml tags of the pinned version (grafana/tempo, TEMPO_VERSION in .env). The keys this project uses:
 * - top level: cmd/tempo/app/config.go (`server`, `distributor`, `storage`, `compactor`, `metrics_generator`,
 *   `overrides`); server: dskit's server.Config (`http_listen_port`);
 * - distributor: modules/distributor/config.go `receivers`, which take the OpenTelemetry Collector's receiver
 *   config (`otlp.protocols.grpc.endpoint`);
 * - storage.trace: tempodb/config.go (`backend`, `wal.path`, `local.path`);
 * - compactor.compaction: tempodb/compaction config (`block_retention`);
 * - metrics_generator: modules/generator/config.go (`registry`, `storage`, `processor`, `traces_storage`);
 *   registry.external_labels (modules/generator/registry/config.go), storage `path` and `remote_write` with
 *   Prometheus's `url` and `send_exemplars` (modules/generator/storage/config.go); processor.local_blocks
 *   (modules/generator/processor/localblocks/config.go: `filter_server_spans`, `flush_to_storage`); traces_storage
 *   is a WAL config (`path`);
 * - overrides.defaults.metrics_generator.processors: modules/overrides/config.go (the processor names are
 *   `service-graphs`, `span-metrics`, `local-blocks`).
 */
const KNOWN: KeyTree = {
  server: { http_listen_port: 'value' },
  distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: 'value' } } } } },
  storage: { trace: { backend: 'value', wal: { path: 'value' }, local: { path: 'value' } } },
  compactor: { compaction: { block_retention: 'value' } },
  metrics_generator: {
    registry: { external_labels: 'anyKeys' },
    storage: { path: 'value', remote_write: [{ url: 'value', send_exemplars: 'value' }] },
    processor: { local_blocks: { filter_server_spans: 'value', flush_to_storage: 'value' } },
    traces_storage: { path: 'value' },
  },
  overrides: { defaults: { metrics_generator: { processors: 'value' } } },
};
const PROCESSORS = ['service-graphs', 'span-metrics', 'local-blocks'];

interface TempoConfig {
  metrics_generator: { storage: { path: string }; traces_storage: { path: string } };
  overrides: { defaults: { metrics_generator: { processors: string[] } } };
}

const config = parse(await readFile('tempo/tempo.yaml', 'utf8')) as TempoConfig;

describe('tempo/tempo.yaml against the pinned Tempo', () => {
  it('uses only keys of the pinned version', () => {
    assert.deepEqual(unknownKeys(config, KNOWN), []);
  });

  it('runs the local-blocks processor that TraceQL metrics need, with its own storage path in the data volume', () => {
    const { processors } = config.overrides.defaults.metrics_generator;
    assert.ok(processors.includes('local-blocks'), processors.join(', '));
    for (const name of processors) assert.ok(PROCESSORS.includes(name), name);
    const { traces_storage: traces, storage } = config.metrics_generator;
    assert.match(traces.path, /^\/var\/tempo\//);
    assert.notEqual(traces.path, storage.path);
  });
});
