import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../stack/webhook/startWebhookReceiver.ts';

const notification = {
  version: '4', receiver: 'webhook-warning', status: 'firing',
  alerts: [{
    status: 'firing', labels: { alertname: 'SlowEndpoint', http_route: '/api/recommendations', severity: 'warning' },
    annotations: { summary: 'slow' }, startsAt: '2026-11-24T09:00:00Z', endsAt: '0001-01-01T00:00:00Z',
  }],
};

describe('alert webhook receiver', () => {
  let receiver: RunningWebhookReceiver;
  const lines: string[] = [];
  before(async () => (receiver = await startWebhookReceiver({ log: (line) => lines.push(line) })));
  after(() => receiver.stop());

  it('logs each posted alert as a JSON line and lists the notifications at GET /alerts', async () => {
    const posted = await fetch(`${receiver.url}/alerts/warning`, { method: 'POST', body: JSON.stringify(notification) });
    assert.equal(posted.status, 200);
    assert.deepEqual(lines.map((line) => JSON.parse(line).labels.alertname), ['SlowEndpoint']);
    assert.equal(JSON.parse(lines[0]!).path, '/alerts/warning');
    const listed = await (await fetch(`${receiver.url}/alerts`)).json();
    assert.equal(listed.length, 1);
    assert.deepEqual(listed[0].alerts, notification.alerts);
    assert.equal(listed[0].receiver, 'webhook-warning');
  });

  it('resolves a wait for an alert that has arrived, and rejects one that does not arrive in time', async () => {
    const alert = await receiver.waitForAlert((a) => a.labels.http_route === '/api/recommendations', 1_000);
    assert.equal(alert.labels.alertname, 'SlowEndpoint');
    await assert.rejects(receiver.waitForAlert((a) => a.labels.alertname === 'TargetDown', 100), /no matching alert within 100 ms/);
  });

  it('answers 400 to a body that is not an Alertmanager notification', async () => {
    const response = await fetch(`${receiver.url}/alerts/warning`, { method: 'POST', body: '{"hello":1}' });
    assert.equal(response.status, 400);
    assert.match((await response.json()).message, /no alerts array/);
  });
});
