import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { startAppWithCatalog, userWithTags, type AppWithCatalog } from '../support/startAppWithCatalog.ts';
import type { TestApp } from '../support/startTestApp.ts';

/** GET /api/recommendations, and how long the answer took. */
async function timedRecommendations(app: TestApp, token: string) {
  const startedAt = performance.now();
  const answer = await app.api.get('/api/recommendations', { token });
  return { ...answer, elapsedMs: performance.now() - startedAt };
}

describe('recommendations when the catalog or Redis misbehave', () => {
  const started: AppWithCatalog[] = [];
  const start = async (...args: Parameters<typeof startAppWithCatalog>): Promise<AppWithCatalog> => {
    const env = await startAppWithCatalog(...args);
    started.push(env);
    return env;
  };
  after(() => Promise.all(started.map((env) => env.stop())));

  test('a 429 with Retry-After is waited out as asked, then the retry succeeds', async () => {
    const { app, catalog } = await start({ CATALOG_BACKOFF_MAX_MS: '3000' }, { knobs: { rateLimitRps: 1 } });
    const token = await userWithTags(app, ['blues']);
    const { status, body, elapsedMs } = await timedRecommendations(app, token);
    assert.equal(status, 200);
    assert.equal(body.source, 'catalog');
    assert.equal(body.items.length, 10);
    // The top call used the one request of this second; the items call got 429 + "Retry-After: 1" and was retried.
    assert.ok(catalog.control.counts.rejected.rateLimited >= 1);
    assert.ok(elapsedMs >= 900, `waited ${elapsedMs} ms, less than the second Retry-After asked for`);
  });

  test('catalog down with a stale cache copy: 200 from the stale copy, degraded', async () => {
    const { app, catalog } = await start({ CACHE_TTL_SECONDS: '1' });
    const token = await userWithTags(app, ['folk', 'funk']);
    const fresh = await app.api.get('/api/recommendations', { token });
    assert.equal(fresh.body.source, 'catalog');
    await sleep(1100);
    catalog.control.set({ down: true, resetCalls: true });
    const stale = await app.api.get('/api/recommendations', { token });
    assert.equal(stale.status, 200);
    assert.equal(stale.body.source, 'stale');
    assert.equal(stale.body.degraded, true);
    assert.deepEqual(stale.body.items, fresh.body.items);
    const { calls } = catalog.control.counts;
    assert.ok(calls.top >= 1, 'the catalog was asked first');
    assert.equal(calls.top, 2, `one attempt per tag, no retries, with a stale copy at hand: ${JSON.stringify(calls)}`);
  });

  test('a Retry-After longer than the longest wait is not waited for: the call fails at once', async () => {
    // CATALOG_BACKOFF_MAX_MS is 50; the stand-in asks for at least a second.
    const { app, catalog } = await start({}, { knobs: { rateLimitRps: 1 } });
    const token = await userWithTags(app, ['ska']);
    const { status, body, elapsedMs } = await timedRecommendations(app, token);
    const { calls, rejected } = catalog.control.counts;
    assert.equal(status, 503, JSON.stringify(body));
    assert.equal(body.code, 'CATALOG_UNAVAILABLE');
    assert.equal(rejected.rateLimited, 1, `the rate-limited items call was not retried: ${JSON.stringify(calls)}`);
    assert.ok(elapsedMs < 900, `answered after ${elapsedMs} ms, as if it had waited for Retry-After`);
  });

  test('one deadline bounds a request\'s catalog time, whatever the attempts and timeouts would add up to', async () => {
    // Without the deadline: 4 attempts × 300 ms timeouts and the waits between them, over 1.2 s.
    const { app, catalog } = await start(
      { CATALOG_TIMEOUT_MS: '300', CATALOG_DEADLINE_MS: '500', CATALOG_MAX_ATTEMPTS: '4' },
      { knobs: { latencyMs: 5000 } },
    );
    const token = await userWithTags(app, ['grunge']);
    const { status, body, elapsedMs } = await timedRecommendations(app, token);
    assert.equal(status, 503);
    assert.equal(body.code, 'CATALOG_UNAVAILABLE');
    assert.equal(catalog.control.counts.calls.top, 2, 'a timed-out attempt, then one cut short by the deadline');
    assert.ok(elapsedMs < 1100, `answered after ${elapsedMs} ms; the deadline was 500 ms`);
  });

  test('catalog down and nothing cached: 503 CATALOG_UNAVAILABLE as JSON', async () => {
    const { app } = await start({}, { knobs: { down: true } });
    const token = await userWithTags(app, ['latin']);
    const { status, body } = await app.api.get('/api/recommendations', { token });
    assert.equal(status, 503);
    assert.equal(body.statusCode, 503);
    assert.equal(body.error, 'Service Unavailable');
    assert.equal(body.code, 'CATALOG_UNAVAILABLE');
    assert.match(body.message, /catalog is unavailable/);
  });

  test('a catalog slower than the timeout counts as down', async () => {
    const { app, catalog } = await start({ CATALOG_TIMEOUT_MS: '100', CATALOG_MAX_ATTEMPTS: '2' }, { knobs: { latencyMs: 400 } });
    const token = await userWithTags(app, ['disco']);
    const { status, body } = await app.api.get('/api/recommendations', { token });
    assert.equal(status, 503);
    assert.equal(body.code, 'CATALOG_UNAVAILABLE');
    assert.equal(catalog.control.counts.calls.top, 2, 'the timed-out attempt was retried once');
  });

  test('Redis down: recommendations still answer 200, straight from the catalog', async () => {
    const { app, catalog } = await start({ REDIS_URL: 'redis://127.0.0.1:9' });
    const token = await userWithTags(app, ['reggae']);
    for (let round = 0; round < 2; round++) {
      const { status, body } = await app.api.get('/api/recommendations', { token });
      assert.equal(status, 200);
      assert.equal(body.source, 'catalog');
      assert.equal(body.items.length, 10);
    }
    assert.equal(catalog.control.counts.calls.top, 2, 'nothing was cached, so each request called the catalog');
  });

  test('repeated failures open the breaker: calls stop reaching the catalog until a trial after the cooldown succeeds', async () => {
    const { app, catalog } = await start(
      { CATALOG_MAX_ATTEMPTS: '1', CATALOG_BREAKER_THRESHOLD: '3', CATALOG_BREAKER_COOLDOWN_MS: '1000' },
      { knobs: { errorRate: 1 } },
    );
    const token = await userWithTags(app, ['punk']);
    for (let request = 0; request < 6; request++) {
      assert.equal((await app.api.get('/api/recommendations', { token })).status, 503);
    }
    assert.equal(catalog.control.counts.calls.top, 3, 'only the three failures that opened the breaker reached the catalog');
    catalog.control.set({ errorRate: 0 });
    await sleep(1100);
    const recovered = await app.api.get('/api/recommendations', { token });
    assert.equal(recovered.status, 200);
    assert.equal(recovered.body.source, 'catalog');
  });
});
