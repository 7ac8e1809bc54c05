import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAlertmanager, type RunningAlertmanager } from '../../stack/local/startAlertmanager.ts';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../stack/webhook/startWebhookReceiver.ts';

interface AlertStatus {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

/** alertmanager/alertmanager.yml on a real Alertmanager: alerts are posted as Prometheus would post them. */
describe('Alertmanager routing and inhibition', { timeout: 30_000 }, () => {
  let workDir: string;
  let webhook: RunningWebhookReceiver;
  let alertmanager: RunningAlertmanager;
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'alertmanager-test-'));
    webhook = await startWebhookReceiver({ log: () => {} });
    alertmanager = await startAlertmanager({ workDir, webhookUrl: webhook.url, groupWait: '1s' });
    const alert = (labels: Record<string, string>) => ({ labels, annotations: { summary: labels.alertname }, startsAt: new Date().toISOString() });
    const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert({ alertname: 'TargetDown', job: 'app', instance: '10.0.0.7:9464', severity: 'critical' }),
        alert({ alertname: 'SlowEndpoint', job: 'app', http_route: '/api/tasks', severity: 'warning' }),
        alert({ alertname: 'SlowEndpoint', job: 'other', http_route: '/api/tasks', severity: 'warning' }),
        alert({ alertname: 'CatalogSlow', job: 'app', catalog_endpoint: 'top', severity: 'warning' }),
      ]),
    });
    assert.equal(response.status, 200);
  });
  after(async () => {
    await alertmanager?.stop();
    await webhook?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('delivers critical alerts to the critical webhook and warnings to the warning webhook', async () => {
    await webhook.waitForAlert((a) => a.labels.alertname === 'TargetDown', 15_000);
    await webhook.waitForAlert((a) => a.labels.alertname === 'CatalogSlow', 15_000);
    const pathOf = (alertname: string) => webhook.notifications().find((n) => n.alerts.some((a) => a.labels.alertname === alertname))?.path;
    assert.equal(pathOf('TargetDown'), '/alerts/critical');
    assert.equal(pathOf('CatalogSlow'), '/alerts/warning');
  });

  it("holds back a job's latency alerts while one of its targets is down, and only that job's", async () => {
    const delivered = await webhook.waitForAlert((a) => a.labels.alertname === 'SlowEndpoint', 15_000);
    assert.equal(delivered.labels.job, 'other');
    const alerts = (await (await fetch(`${alertmanager.url}/api/v2/alerts?filter=alertname%3D%22SlowEndpoint%22`)).json()) as AlertStatus[];
    const byJob = Object.fromEntries(alerts.map((a) => [a.labels.job, a.status]));
    assert.equal(byJob.app?.state, 'suppressed');
    assert.equal(byJob.app?.inhibitedBy.length, 1);
    assert.equal(byJob.other?.state, 'active');
    const slowEndpointJobs = webhook.notifications().flatMap((n) => n.alerts).filter((a) => a.labels.alertname === 'SlowEndpoint').map((a) => a.labels.job);
    assert.deepEqual([...new Set(slowEndpointJobs)], ['other']);
  });
});
