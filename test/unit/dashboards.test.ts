import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { allDashboards, dashboardJson } from '../../grafana/src/allDashboards.ts';
import { panelQueries, panelsOf } from '../support/dashboardQueries.ts';

const dashboards = allDashboards();

async function provisionedDatasourceUids(): Promise<Set<string>> {
  const file = parse(await readFile('grafana/provisioning/datasources/datasources.yml', 'utf8')) as { datasources: Array<{ uid: string }> };
  return new Set(file.datasources.map((datasource) => datasource.uid));
}

/** Every `/d/<uid>?var-<name>=…` link in the alert rules' annotations: uid → variable names it sets. */
async function dashboardLinksOfAlerts(): Promise<Map<string, Set<string>>> {
  const links = new Map<string, Set<string>>();
  for (const name of (await readdir('prometheus/rules')).filter((file) => file.endsWith('.yml'))) {
    const rules = parse(await readFile(`prometheus/rules/${name}`, 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string; annotations?: Record<string, string> }> }> };
    for (const rule of rules.groups.flatMap((group) => group.rules).filter((rule) => rule.alert !== undefined)) {
      const link = rule.annotations?.dashboard ?? '';
      const uid = /\/d\/([\w-]+)/.exec(link)?.[1];
      assert.ok(uid, `alert ${rule.alert} has no dashboard link: "${link}"`);
      const variables = links.get(uid) ?? new Set<string>();
      for (const [, name] of link.matchAll(/[?&]var-(\w+)=/g)) variables.add(name!);
      links.set(uid, variables);
    }
  }
  return links;
}

describe('Grafana dashboards', () => {
  it('the committed JSON is what `npm run dashboards` generates (run it and commit when this fails)', async () => {
    const committed = (await readdir('grafana/dashboards')).filter((file) => file.endsWith('.json')).toSorted();
    assert.deepEqual(committed, dashboards.map((dashboard) => `${dashboard.uid}.json`).toSorted());
    for (const dashboard of dashboards) {
      assert.equal(await readFile(`grafana/dashboards/${dashboard.uid}.json`, 'utf8'), dashboardJson(dashboard), `${dashboard.uid}.json is stale`);
    }
  });

  it('has the five dashboards, with unique uids and titles', () => {
    assert.deepEqual(dashboards.map((dashboard) => dashboard.uid), ['service-overview', 'endpoint-drilldown', 'dependencies', 'runtime-host', 'slo-alerts']);
    assert.equal(new Set(dashboards.map((dashboard) => dashboard.title)).size, dashboards.length);
  });

  it('every dashboard an alert rule links to exists, with the variables the link sets', async () => {
    for (const [uid, variables] of await dashboardLinksOfAlerts()) {
      const dashboard = dashboards.find((candidate) => candidate.uid === uid);
      assert.ok(dashboard, `alerts link to /d/${uid}, which no dashboard has`);
      const defined = (dashboard.templating?.list ?? []).map((variable) => variable.name);
      for (const name of variables) assert.ok(defined.includes(name), `alerts set var-${name} on ${uid}, which has only ${defined.join(', ')}`);
    }
  });

  it('panel ids are unique within each dashboard, and every panel has a title, a description and a query', () => {
    for (const dashboard of dashboards) {
      const ids = (dashboard.panels ?? []).map((panel) => panel.id);
      assert.equal(new Set(ids).size, ids.length, `${dashboard.uid}: duplicate panel ids ${ids.join(',')}`);
      assert.ok(ids.every((id) => Number.isInteger(id)), `${dashboard.uid}: a panel without id`);
      for (const panel of panelsOf(dashboard)) {
        assert.ok(panel.title && panel.description, `${dashboard.uid}: panel ${panel.id} lacks a title or description`);
        assert.ok((panel.targets ?? []).length > 0, `${dashboard.uid}/${panel.title} has no query`);
      }
    }
  });

  it('every panel and query uses a datasource uid that provisioning defines', async () => {
    const uids = await provisionedDatasourceUids();
    for (const dashboard of dashboards) {
      for (const panel of panelsOf(dashboard)) assert.ok(uids.has(panel.datasource?.uid ?? ''), `${dashboard.uid}/${panel.title}: ${panel.datasource?.uid}`);
    }
    for (const query of panelQueries(dashboards)) assert.ok(uids.has(query.datasourceUid ?? ''), `${query.dashboard}/${query.panel}: ${query.datasourceUid}`);
  });

  it('queries use $__rate_interval for rates, and every variable they use is defined on their dashboard', () => {
    const builtIn = new Set(['__rate_interval', '__interval', '__range']);
    for (const dashboard of dashboards) {
      const defined = new Set((dashboard.templating?.list ?? []).map((variable) => variable.name));
      for (const query of panelQueries([dashboard])) {
        for (const [, name] of query.expr.matchAll(/\$\{?(\w+)/g)) {
          assert.ok(defined.has(name!) || builtIn.has(name!), `${dashboard.uid}/${query.panel}: $${name} is not defined`);
        }
        for (const [window] of query.expr.matchAll(/\[[^\]]+\]/g)) {
          assert.ok(['[$__rate_interval]', '[$__range]'].includes(window), `${dashboard.uid}/${query.panel}: fixed window ${window} in ${query.expr}`);
        }
      }
    }
  });

  it('every dashboard has the multi-select instance variable with "All", so replicas can be aggregated or split', () => {
    for (const dashboard of dashboards) {
      const instance = dashboard.templating?.list?.find((variable) => variable.name === 'instance');
      assert.ok(instance?.multi && instance.includeAll, `${dashboard.uid}: no multi-select instance variable`);
    }
  });

  it("the endpoint drill-down shows the selected route's log lines from Loki, filtered on the route's structured metadata", () => {
    const queries = panelQueries(dashboards.filter((dashboard) => dashboard.uid === 'endpoint-drilldown')).filter((query) => query.datasourceUid === 'loki');
    assert.deepEqual(queries.map((query) => query.expr), ['{service_name="app"} | http_route="$route"']);
    const panel = panelsOf(dashboards.find((dashboard) => dashboard.uid === 'endpoint-drilldown')!).find((candidate) => candidate.id === queries[0]!.panelId);
    assert.equal(panel?.type, 'logs');
  });
});
