import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { allDashboards } from '../../grafana/src/allDashboards.ts';
import type { LocalStack } from '../../stack/local/startLocalStack.ts';
import { fillVariables, panelQueries, type PanelQuery } from '../support/dashboardQueries.ts';
import { SCRAPE_SECONDS, startFaultedLocalStack, type FaultedLocalStack } from '../support/faultedLocalStack.ts';
import { missingData, problemsAfterRetries, queryPrometheus } from '../support/prometheusApi.ts';

/** The route the test makes slow and failing, so that the drill-down's error and latency panels have data. */
const ROUTE = '/api/recommendations';
/** Scrape jobs whose exporters run only in the compose stack; their panels cannot have data here. */
const EXPORTER_JOBS = ['postgres', 'redis'];

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
async function panelProblem(stack: LocalStack, query: PanelQuery, startedAt: number): Promise<string | undefined> {
  const expr = fillVariables(query.expr, variables(startedAt));
  const now = Date.now() / 1000;
  const body = query.instant
    ? await queryPrometheus(stack.prometheusUrl, '/api/v1/query', { query: expr, time: String(now) })
    : await queryPrometheus(stack.prometheusUrl, '/api/v1/query_range', { query: expr, start: String(startedAt / 1000), end: String(now), step: String(SCRAPE_SECONDS) });
  const problem = missingData(body);
  return problem === undefined ? undefined : `${query.dashboard} / ${query.panel}: ${problem}\n    ${query.expr}`;
}

/**
 * Every query of every panel of every dashboard, its variables filled as Grafana fills them, against the real
 * Prometheus of the local stack after load: the built app with its telemetry, the catalog stand-in made slow,
 * rate-limited, failing and then down on purpose (so that the latency, 429, retry, breaker, 5xx and alert panels have
 * data too), Prometheus with the project's rules at a 1 s scrape and evaluation interval, alerts with `for: 5s`.
 */
describe('dashboards on real data', { timeout: 150_000 }, () => {
  let faulted: FaultedLocalStack;
  let stack: LocalStack;
  let startedAt: number;
  before(async () => {
    faulted = await startFaultedLocalStack();
    ({ stack, startedAt } = faulted);
  });
  after(async () => {
    await faulted?.stop();
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

    const problems = await problemsAfterRetries(checked, (query) => panelProblem(stack, query, startedAt), 45_000);
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
