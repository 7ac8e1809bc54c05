import { strict as assert } from 'node:assert';
import { after, test } from 'node:test';
import { catalogCallStats } from '../../app/src/profiling/catalogCallStats.ts';
import { functionTimings } from '../../app/src/profiling/timed.ts';
import { startTestTelemetry } from '../support/testTelemetry.ts';

const telemetry = await startTestTelemetry();
const { startAppWithCatalog, userWithTags } = await import('../support/startAppWithCatalog.ts');
// A long timeout: on a loaded machine a 500 ms one turns slow answers into timeouts, which this test does not expect.
const env = await startAppWithCatalog({ CATALOG_MAX_ATTEMPTS: '3', CATALOG_TIMEOUT_MS: '10000' });
after(async () => {
  await env.stop();
  await telemetry.handle.shutdown();
});

test('catalogCallStats() counts every attempt the catalog received, its errors, retries, durations and sizes', async () => {
  const healthy = await userWithTags(env.app, ['jazz', 'house']);
  assert.equal((await env.app.api.get('/api/recommendations', { token: healthy })).status, 200);
  env.catalog.control.set({ errorRate: 1 });
  const unlucky = await userWithTags(env.app, ['techno'], 'Unlucky');
  assert.equal((await env.app.api.get('/api/recommendations', { token: unlucky })).status, 503);

  const received = env.catalog.control.counts;
  const stats = await catalogCallStats();
  assert.deepEqual(stats.map((s) => s.endpoint), ['items', 'top']);
  const [items, top] = stats as [(typeof stats)[number], (typeof stats)[number]];

  assert.equal(items.calls, received.calls.items);
  assert.equal(items.errors, 0);
  assert.equal(items.errorRate, 0);
  assert.ok(items.avgResponseBytes !== null && items.avgResponseBytes > 1000, `items ${items.avgResponseBytes} bytes`);

  assert.equal(top.calls, received.calls.top);
  assert.equal(top.errors, received.rejected.serverError);
  assert.ok(top.errors >= 1 && top.outcomes.server_error === top.errors);
  assert.equal(top.errorRate, Math.round((top.errors / top.calls) * 10_000) / 10_000);
  assert.ok(top.retries >= 1 && top.retries <= top.errors, `${top.retries} retries`);
  for (const s of stats) {
    assert.ok(s.p50Ms !== null && s.p95Ms !== null && s.avgMs !== null);
    assert.ok(s.p50Ms > 0 && s.p50Ms <= s.p95Ms, `${s.endpoint}: p50 ${s.p50Ms}, p95 ${s.p95Ms}`);
  }
});

test('recommendation phases and task service calls are timed for /api/metrics', async () => {
  const names = functionTimings().map((timing) => timing.name);
  for (const name of ['recommendations.topIds', 'recommendations.items', 'recommendations.rank', 'tasks.create']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  const create = functionTimings().find((timing) => timing.name === 'tasks.create')!;
  assert.ok(create.count >= 4 && create.minMs <= create.avgMs && create.avgMs <= create.maxMs);
});
