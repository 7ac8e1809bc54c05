import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { unknownKeys, type KeyTree } from '../support/configKeys.ts';

/**
 * Loki refuses to start on an unknown key and cannot run here, so loki/loki.yaml is checked against the yaml tags of
 * the pinned version's config structs (grafana/loki, LOKI_VERSION in .env). Only the keys this project uses are
 * listed, each with where it comes from:
 * - top level: pkg/loki/loki.go `Config` (`auth_enabled`, `server`, `common`, `schema_config`, `limits_config`,
 *   `compactor`, `analytics`);
 * - server: dskit's server.Config (`http_listen_port`, `grpc_listen_port`, `log_level`);
 * - common: pkg/loki/common/common.go (`instance_addr`, `path_prefix`, `replication_factor`, `storage.filesystem`
 *   with `chunks_directory` and `rules_directory`, `ring`), the ring's `kvstore.store` from dskit's kv.Config;
 * - schema_config: pkg/storage/config/schema_config.go `PeriodConfig` (`from`, `store`, `object_store`, `schema`,
 *   `index` with `prefix` and `period`);
 * - limits_config: pkg/validation/limits.go (`allow_structured_metadata`, `volume_enabled`, `retention_period`);
 * - compactor: pkg/compactor/config.go (`working_directory`, `retention_enabled`, `delete_request_store`);
 * - analytics: pkg/analytics/reporter.go `Config` (`reporting_enabled`).
 */
const KNOWN: KeyTree = {
  auth_enabled: 'value',
  server: { http_listen_port: 'value', grpc_listen_port: 'value', log_level: 'value' },
  common: {
    instance_addr: 'value', path_prefix: 'value', replication_factor: 'value',
    storage: { filesystem: { chunks_directory: 'value', rules_directory: 'value' } },
    ring: { kvstore: { store: 'value' } },
  },
  schema_config: { configs: [{ from: 'value', store: 'value', object_store: 'value', schema: 'value', index: { prefix: 'value', period: 'value' } }] },
  limits_config: { allow_structured_metadata: 'value', volume_enabled: 'value', retention_period: 'value' },
  compactor: { working_directory: 'value', retention_enabled: 'value', delete_request_store: 'value' },
  analytics: { reporting_enabled: 'value' },
};

interface LokiConfig {
  server: { http_listen_port: number };
  common: { path_prefix: string; storage: { filesystem: Record<string, string> } };
  schema_config: { configs: Array<{ store: string; schema: string }> };
  limits_config: { allow_structured_metadata: boolean; retention_period: string };
  compactor: { working_directory: string; retention_enabled: boolean; delete_request_store?: string };
}

const config = parse(await readFile('loki/loki.yaml', 'utf8')) as LokiConfig;

describe('loki/loki.yaml against the pinned Loki', () => {
  it('uses only keys of the pinned version', () => {
    assert.deepEqual(unknownKeys(config, KNOWN), []);
  });

  it('can store OTLP logs: structured metadata allowed, on a TSDB index with schema v13', () => {
    assert.equal(config.limits_config.allow_structured_metadata, true);
    assert.deepEqual(config.schema_config.configs.map(({ store, schema }) => `${store}/${schema}`), ['tsdb/v13']);
  });

  it('keeps everything under the volume compose mounts, and applies its retention', async () => {
    const compose = parse(await readFile('docker-compose.yml', 'utf8')) as { services: { loki: { volumes: string[] } } };
    const dataDir = compose.services.loki.volumes.map((volume) => volume.split(':')).find(([source]) => source === 'lokidata')?.[1];
    assert.equal(config.common.path_prefix, dataDir);
    for (const dir of [...Object.values(config.common.storage.filesystem), config.compactor.working_directory]) {
      assert.ok(dir.startsWith(`${dataDir}/`), dir);
    }
    // Retention is only applied by a compactor with retention on, which needs a delete request store.
    assert.equal(config.compactor.retention_enabled, true);
    assert.equal(config.compactor.delete_request_store, 'filesystem');
    assert.match(config.limits_config.retention_period, /^\d+h$/);
  });

  it('listens where the collector sends logs and Grafana reads them', async () => {
    const collector = parse(await readFile('collector/config.yaml', 'utf8')) as { exporters: Record<string, { endpoint: string }> };
    assert.equal(collector.exporters['otlphttp/loki']?.endpoint, `http://loki:${config.server.http_listen_port}/otlp`);
    const grafana = parse(await readFile('grafana/provisioning/datasources/datasources.yml', 'utf8')) as { datasources: Array<{ uid: string; url: string }> };
    assert.equal(grafana.datasources.find((datasource) => datasource.uid === 'loki')?.url, `http://loki:${config.server.http_listen_port}`);
  });
});
