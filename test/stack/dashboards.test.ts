import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { allDashboards } from '../../grafana/src/allDashboards.ts';
import { startLocalStack, type LocalStack } from '../../stack/local/startLocalStack.ts';
import { fillVariables, panelQueries, type PanelQuery } from '../support/dashboardQueries.ts';
import { createTestDatabase, requireEnv, type TestDatabase } from '../support/testDatabase.ts';

const SCRAPE_SECONDS = 1;
/** The route the test makes slow and failing, so that the drill-down's error and latency panels have data. */
const ROUTE = '/api/recommendations';
/** Scrape jobs whose exporters run only in the compose stack; their panels cannot have data here. */
const EXPORTER_JOBS = ['postgres', 'redis'];

interface QueryResponse {
  status: string;
  error?: string;
  data: { result: Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }> };
}

async function prometheus(stack: LocalStack, path: string, params: Record<string, string>): Promise<QueryResponse> {
  const response = await fetch(`${stack.prometheusUrl}${path}?${new URLSearchParams(params)}`);
  return (await response.json()) as QueryResponse;
}

async function setCatalog(stack: LocalStack, knobs: object): Promise<void> {
  const response = await fetch(`${stack.catalogUrl}/control`, { method: 'PUT', body: JSON.stringify(knobs) });
  assert.equal(response.status, 200, await response.text());
}

/** What Grafana would put in for the variables over the range [start, now] with the test's 1 s scrape interval. */
function variables(startedAt: number): Record<string, string> {
  const rangeSeconds = Math.ceil((Date.now() - startedAt) / 1000);
  return {
    instance: '.*', // "All", the default selection: the variable's allValue
    route: ROUTE,
    __interval: `${SCRAPE_SECONDS}s`,
    // Grafana: max(4 × scrape interval, $__interval + scrape interval)
    __rate_interval: `${4 * SCRAPE_SECONDS}s`,
    __range: `${rangeSeconds}s`,
  };
}

/** Runs the query as the panel does (instant or over the range); an error message, or undefined when it has data. */
async function missingData(stack: LocalStack, query: PanelQuery, startedAt: number): Promise<string | undefined> {
  const expr = fillVariables(query.expr, variables(startedAt));
  const now = Date.now() / 1000;
  const body = query.instant
    ? await prometheus(stack, '/api/v1/query', { query: expr, time: String(now) })
    : await prometheus(stack, '/api/v1/query_range', { query: expr, start: String(startedAt / 1000), end: String(now), step: String(SCRAPE_SECONDS) });
  if (body.status !== 'success') return `${body.status}: ${body.error}`;
  if (body.data.result.length === 0) return 'no data';
  return undefined;
}

/**
 * Every query of every panel of every dashboard, its variables filled as Grafana fills them, against the real
 * Prometheus of the local stack after load: the built app with its telemetry, the catalog stand-in made slow,
 * rate-limited, failing and then down on purpose (so that the latency, 429, retry, breaker, 5xx and alert panels have
 * data too), Prometheus with the project's rules at a 1 s scrape and evaluation interval, alerts with `for: 5s`.
 */
describe('dashboards on real data', { timeout: 150_000 }, () => {
  let database: TestDatabase;
  let stack: LocalStack;
  let startedAt: number;
  before(async () => {
    database = await createTestDatabase();
    startedAt = Date.now();
    stack = await startLocalStack({
      databaseUrl: database.url, redisUrl: requireEnv('REDIS_URL'),
      scrapeInterval: `${SCRAPE_SECONDS}s`, evaluationInterval: `${SCRAPE_SECONDS}s`, alertFor: '5s', alertmanagerGroupWait: '1s',
      load: { rate: 12, users: 3 },
      appEnv: {
        CACHE_TTL_SECONDS: '1', CACHE_STALE_TTL_SECONDS: '2', LOG_LEVEL: 'warn',
        CATALOG_BREAKER_COOLDOWN_MS: '2000', CATALOG_BACKOFF_MAX_MS: '300',
      },
    });
    // Slow (over 500 ms), rate-limited (429) and failing (500) catalog calls: slow requests and retries.
    await setCatalog(stack, { latencyMs: 600, rateLimitRps: 4, errorRate: 0.2 });
    await sleep(6_000);
    // Down: network errors, the breaker opens, and with nothing left in the cache recommendations answer 503.
    await setCatalog(stack, { down: true });
    await sleep(5_000);
    // Healthy again: successful calls and cache hits.
    await setCatalog(stack, { down: false, latencyMs: 0, rateLimitRps: 0, errorRate: 0 });
  });
  after(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it('the variable queries offer the app replica and the route the test made slow', async () => {
    const expected: Record<string, string> = { instance: new URL(stack.metricsUrl).host, route: ROUTE };
    const variableQueries = allDashboards().flatMap((dashboard) => dashboard.templating?.list ?? []);
    assert.ok(variableQueries.length >= 6);
    for (const variable of variableQueries) {
      // label_values(<selector>, <label>) is Prometheus's label values API with a match[] selector.
      const [, selector, label] = /^label_values\((.+), (\w+)\)$/.exec(String(variable.query)) ?? [];
      assert.ok(selector && label, `${variable.name}: ${variable.query}`);
      // Recording rules on a busy machine may need a few more evaluations: ask again for a while.
      let values: string[] = [];
      for (const deadline = Date.now() + 30_000; !values.includes(expected[variable.name]!) && Date.now() < deadline; await sleep(1_000)) {
        const response = await fetch(`${stack.prometheusUrl}/api/v1/label/${label}/values?${new URLSearchParams({ 'match[]': selector })}`);
        values = ((await response.json()) as { data: string[] }).data;
      }
      assert.ok(values.includes(expected[variable.name]!), `${variable.name}: ${values.join(', ')}`);
    }
  });

  it('every Prometheus query of every panel returns data', async (t) => {
    const queries = panelQueries(allDashboards());
    const traces = queries.filter((query) => query.datasourceUid === 'tempo');
    const logs = queries.filter((query) => query.datasourceUid === 'loki');
    const exporters = queries.filter((query) => EXPORTER_JOBS.some((job) => query.expr.includes(`job="${job}"`)));
    for (const job of EXPORTER_JOBS) assert.ok(stack.leftOutJobs.includes(job), `${job} is scraped locally: its panels must be checked too`);
    const checked = queries.filter((query) => query.datasourceUid === 'prometheus' && !exporters.includes(query));
    assert.equal(checked.length + traces.length + logs.length + exporters.length, queries.length, 'a query of an unknown datasource');
    assert.ok(exporters.length <= 8, `exporter-only queries should stay few: ${exporters.length}`);

    // Counters appear at their first increment and rates need two samples: retry what has no data yet, for a while.
    const deadline = Date.now() + 45_000;
    let failing = checked;
    let problems: string[] = [];
    for (;;) {
      problems = [];
      const stillFailing: PanelQuery[] = [];
      for (const query of failing) {
        const problem = await missingData(stack, query, startedAt);
        if (problem === undefined) continue;
        stillFailing.push(query);
        problems.push(`${query.dashboard} / ${query.panel}: ${problem}\n    ${query.expr}`);
      }
      failing = stillFailing;
      if (failing.length === 0 || Date.now() > deadline) break;
      await sleep(1_000);
    }
    assert.deepEqual(problems, [], `${problems.length} of ${checked.length} queries returned no data`);

    const dashboards = allDashboards().length;
    const panels = new Set(queries.map((query) => `${query.dashboard}/${query.panelId}`)).size;
    const summary = `${dashboards} dashboards, ${panels} panels, ${queries.length} queries: ${checked.length} Prometheus queries, all returned data; `
      + `not checked here: ${exporters.length} on the PostgreSQL/Redis exporters (compose only), ${traces.length} TraceQL searches in Tempo, `
      + `${logs.length} LogQL queries in Loki`;
    t.diagnostic(summary);
    console.log(summary);
    assert.ok(checked.length >= 60, summary);
  });
});
