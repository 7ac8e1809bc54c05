import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ALERTMANAGER, LOKI, PROMETHEUS, TEMPO } from '../../grafana/src/datasources.ts';

/**
 * The jsonData fields of the log links, as the pinned Grafana (GRAFANA_VERSION in .env) names them: the Loki
 * datasource's `LokiOptions` and `DerivedFieldConfig` (public/app/plugins/datasource/loki/types.ts: `maxLines`,
 * `derivedFields` with `matcherRegex`, `name`, `url`, `urlDisplayLabel`, `datasourceUid`, `matcherType` 'label' or
 * 'regex', `targetBlank`) and the Tempo datasource's `TraceToLogsOptionsV2`
 * (packages/grafana-o11y-ds-frontend/src/TraceToLogs/TraceToLogsSettings.tsx: `datasourceUid`, `tags` of
 * `{key, value}`, `spanStartTimeShift`, `spanEndTimeShift`, `filterByTraceID`, `filterBySpanID`, `query`,
 * `customQuery`).
 */
const LOKI_OPTIONS = ['maxLines', 'derivedFields'];
const DERIVED_FIELD = ['matcherRegex', 'name', 'url', 'urlDisplayLabel', 'datasourceUid', 'matcherType', 'targetBlank'];
const TRACES_TO_LOGS_V2 = ['datasourceUid', 'tags', 'spanStartTimeShift', 'spanEndTimeShift', 'filterByTraceID', 'filterBySpanID', 'query', 'customQuery'];

const fieldsOutside = (object: object, known: string[]): string[] => Object.keys(object).filter((key) => !known.includes(key));

interface Datasource {
  name: string;
  type: string;
  uid: string;
  url: string;
  jsonData?: Record<string, unknown>;
}

const datasources = (parse(await readFile('grafana/provisioning/datasources/datasources.yml', 'utf8')) as { apiVersion: number; datasources: Datasource[] }).datasources;
const byUid = (uid: string): Datasource => {
  const found = datasources.find((datasource) => datasource.uid === uid);
  assert.ok(found, `no datasource with uid ${uid}`);
  return found;
};

interface GrafanaService {
  volumes: string[];
  environment: Record<string, string>;
}

async function grafanaService(): Promise<GrafanaService> {
  return (parse(await readFile('docker-compose.yml', 'utf8'), { merge: true }) as { services: { grafana: GrafanaService } }).services.grafana;
}

/** The compose file's volume of the grafana service whose container path is `target`, as its host path. */
async function grafanaVolume(target: string): Promise<string | undefined> {
  return (await grafanaService()).volumes.map((volume) => volume.split(':')).find(([, container]) => container === target)?.[0];
}

describe('Grafana provisioning', () => {
  it('defines the datasources the dashboards use, with their fixed uids and types, pointing at the compose services', () => {
    for (const ref of [PROMETHEUS, TEMPO, LOKI, ALERTMANAGER]) assert.equal(byUid(ref.uid).type, ref.type);
    assert.equal(byUid('prometheus').url, 'http://prometheus:9090');
    assert.equal(byUid('tempo').url, 'http://tempo:3200');
    assert.equal(byUid('loki').url, 'http://loki:3100');
    assert.equal(byUid('alertmanager').url, 'http://alertmanager:9093');
    assert.equal(new Set(datasources.map((datasource) => datasource.uid)).size, datasources.length);
  });

  it('links Prometheus exemplars to Tempo, and Tempo traces to Prometheus metrics and service map', () => {
    const destinations = byUid('prometheus').jsonData?.exemplarTraceIdDestinations as Array<{ datasourceUid: string }>;
    assert.ok(destinations.length > 0 && destinations.every((destination) => destination.datasourceUid === 'tempo'));
    const tempo = byUid('tempo').jsonData as { tracesToMetrics: { datasourceUid: string; queries: Array<{ query: string }> }; serviceMap: { datasourceUid: string } };
    assert.equal(tempo.tracesToMetrics.datasourceUid, 'prometheus');
    // `$$` is provisioning's escape for a literal `$`: the query reaches Grafana as `$__tags`.
    for (const { query } of tempo.tracesToMetrics.queries) assert.match(query, /\$\$__tags/);
    assert.equal(tempo.serviceMap.datasourceUid, 'prometheus');
  });

  it("opens a log line's trace in Tempo from the structured metadata trace_id", () => {
    const loki = byUid('loki').jsonData as { derivedFields: Array<Record<string, string>> };
    assert.deepEqual(fieldsOutside(loki, LOKI_OPTIONS), []);
    assert.equal(loki.derivedFields.length, 1);
    const field = loki.derivedFields[0]!;
    assert.deepEqual(fieldsOutside(field, DERIVED_FIELD), []);
    // A label matcher names the field (Loki's structured metadata key for the OTLP record's trace id, loki/loki.yaml).
    assert.deepEqual([field.matcherType, field.matcherRegex, field.datasourceUid], ['label', 'trace_id', 'tempo']);
    // An internal link's url is the query for the target datasource: the trace id itself (`$$` escapes provisioning).
    assert.equal(field.url, '$${__value.raw}');
  });

  it("opens a trace's log lines in Loki: the span's service stream, filtered by trace id, with a time shift", () => {
    const toLogs = (byUid('tempo').jsonData as { tracesToLogsV2: Record<string, unknown> & { tags: Array<{ key: string; value: string }> } }).tracesToLogsV2;
    assert.deepEqual(fieldsOutside(toLogs, TRACES_TO_LOGS_V2), []);
    assert.equal(toLogs.datasourceUid, 'loki');
    assert.equal(toLogs.customQuery, true);
    assert.equal(toLogs.query, '{$${__tags}} | trace_id="$${__trace.traceId}"');
    // service.name is an index label in Loki, with dots turned into underscores.
    assert.deepEqual(toLogs.tags, [{ key: 'service.name', value: 'service_name' }]);
    assert.match(String(toLogs.spanStartTimeShift), /^-\d+[smh]$/);
    assert.match(String(toLogs.spanEndTimeShift), /^\d+[smh]$/);
  });

  it('loads the dashboards from the folder compose mounts grafana/dashboards at, and mounts provisioning itself', async () => {
    const providers = (parse(await readFile('grafana/provisioning/dashboards/dashboards.yml', 'utf8')) as { providers: Array<{ type: string; options: { path: string } }> }).providers;
    assert.equal(providers.length, 1);
    assert.equal(providers[0]!.type, 'file');
    assert.equal(await grafanaVolume(providers[0]!.options.path), './grafana/dashboards');
    assert.equal(await grafanaVolume('/etc/grafana/provisioning'), './grafana/provisioning');
  });

  it('opens on a provisioned dashboard file', async () => {
    const home = (await grafanaService()).environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    assert.match(home, /^\/var\/lib\/grafana\/dashboards\/[\w-]+\.json$/);
    await readFile(home.replace('/var/lib/grafana/dashboards', 'grafana/dashboards'));
  });
});
