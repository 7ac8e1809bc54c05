import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { localAlertmanagerConfig, localPrometheusConfig, withAlertFor } from '../../stack/local/localConfigs.ts';
import { startPrometheus } from '../../stack/local/startPrometheus.ts';

interface Job {
  job_name: string;
  static_configs?: Array<{ targets: string[] }>;
  dns_sd_configs?: unknown;
}

describe('configs of stack:local, generated from the compose ones', () => {
  it('keeps the compose jobs that run locally, at local addresses, and names the ones left out', async () => {
    const compose = await readFile('prometheus/prometheus.yml', 'utf8');
    const { yaml, leftOut } = localPrometheusConfig(compose, {
      targets: { app: '127.0.0.1:41001', prometheus: '127.0.0.1:41002', alertmanager: '127.0.0.1:41003' },
      alertmanager: '127.0.0.1:41003', ruleFiles: ['/rules/*.yml'], scrapeInterval: '1s', evaluationInterval: '2s',
    });
    const local = parse(yaml) as { global: Record<string, string>; rule_files: string[]; scrape_configs: Job[]; alerting: unknown };
    const composeJobs = (parse(compose) as { scrape_configs: Job[] }).scrape_configs.map((job) => job.job_name);
    assert.deepEqual([...local.scrape_configs.map((job) => job.job_name), ...leftOut].sort(), [...composeJobs].sort());
    assert.deepEqual(leftOut.sort(), ['otel-collector', 'postgres', 'redis', 'tempo']);
    const app = local.scrape_configs.find((job) => job.job_name === 'app')!;
    assert.deepEqual(app.static_configs, [{ targets: ['127.0.0.1:41001'] }]);
    assert.equal(app.dns_sd_configs, undefined);
    assert.deepEqual(local.global, { scrape_interval: '1s', evaluation_interval: '2s' });
    assert.deepEqual(local.rule_files, ['/rules/*.yml']);
    assert.deepEqual(local.alerting, { alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:41003'] }] }] });
  });

  it('replaces the `for` of every alert and leaves recording rules alone', async () => {
    const rules = parse(withAlertFor(await readFile('prometheus/rules/http-alerts.yml', 'utf8'), '5s')) as {
      groups: Array<{ rules: Array<{ alert: string; for: string; expr: string }> }>;
    };
    const alerts = rules.groups.flatMap((group) => group.rules);
    assert.deepEqual(alerts.map((rule) => rule.for), alerts.map(() => '5s'));
    assert.ok(alerts.some((rule) => rule.alert === 'SlowEndpoint' && rule.expr.includes('> 0.5')));
    const recording = withAlertFor(await readFile('prometheus/rules/http-recording.yml', 'utf8'), '5s');
    assert.doesNotMatch(recording, /for:/);
  });

  it('points every Alertmanager webhook at the local receiver, keeping its path', async () => {
    const local = parse(localAlertmanagerConfig(await readFile('alertmanager/alertmanager.yml', 'utf8'), {
      webhookUrl: 'http://127.0.0.1:42000', groupWait: '1s',
    })) as { route: { group_wait: string; routes: Array<{ group_wait: string }> }; receivers: Array<{ webhook_configs: Array<{ url: string }> }> };
    const urls = local.receivers.flatMap((receiver) => receiver.webhook_configs.map((webhook) => webhook.url));
    assert.deepEqual(urls.sort(), ['http://127.0.0.1:42000/alerts/critical', 'http://127.0.0.1:42000/alerts/warning']);
    assert.equal(local.route.group_wait, '1s');
    assert.deepEqual(local.route.routes.map((route) => route.group_wait), ['1s', '1s']);
  });
});

describe("stack:local's Prometheus", () => {
  it('names the alerts and targets pages at paths this Prometheus serves (Debian 2.42 has only /classic/…)', async (t) => {
    const workDir = await mkdtemp(join(tmpdir(), 'local-prometheus-'));
    // No Alertmanager is needed to serve the pages: port 9 (discard) stands in for its address.
    const prometheus = await startPrometheus({ workDir, targets: {}, alertmanager: '127.0.0.1:9', scrapeInterval: '15s', evaluationInterval: '15s' });
    try {
      for (const page of Object.values(prometheus.pages)) {
        const response = await fetch(page);
        t.diagnostic(`${page}: ${response.status}`);
        assert.equal(response.status, 200, page);
        assert.match(response.headers.get('content-type') ?? '', /text\/html/, page);
      }
    } finally {
      await prometheus.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
