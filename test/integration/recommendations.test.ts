import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRedis } from '../../app/src/db/createRedis.ts';
import { startAppWithCatalog, userWithTags, type AppWithCatalog } from '../support/startAppWithCatalog.ts';
import { requireEnv } from '../support/testDatabase.ts';

describe('GET /api/recommendations', () => {
  let env: AppWithCatalog;
  before(async () => {
    env = await startAppWithCatalog();
  });
  after(() => env.stop());

  test('a cache miss goes to the catalog; the same request again is served from the cache without calling it', async () => {
    const token = await userWithTags(env.app, ['jazz', 'rock']);
    env.catalog.control.resetCalls();
    const first = await env.app.api.get('/api/recommendations', { token });
    assert.equal(first.status, 200);
    assert.equal(first.body.source, 'catalog');
    assert.equal(first.body.degraded, false);
    assert.equal(first.body.items.length, 10);
    const afterMiss = env.catalog.control.counts.calls;
    assert.equal(afterMiss.top, 2, 'one top call per tag');
    assert.ok(afterMiss.items >= 1);

    const second = await env.app.api.get('/api/recommendations', { token });
    assert.equal(second.status, 200);
    assert.equal(second.body.source, 'cache');
    assert.deepEqual(second.body.items, first.body.items);
    assert.deepEqual(env.catalog.control.counts.calls, afterMiss, 'no catalog call on a cache hit');
  });

  test('item details are fetched in batches of 50 ids: one items call per batch, never one per item', async () => {
    const tags = ['pop', 'metal', 'soul'];
    const token = await userWithTags(env.app, tags);
    const uniqueIds = new Set(tags.flatMap((tag) => env.catalog.data.topIds(tag, 50)));
    assert.ok(uniqueIds.size > 100, `needs more than 100 distinct items, has ${uniqueIds.size}`);
    env.catalog.control.resetCalls();
    const { status } = await env.app.api.get('/api/recommendations?limit=50', { token });
    assert.equal(status, 200);
    assert.equal(env.catalog.control.counts.calls.items, Math.ceil(uniqueIds.size / 50));
  });

  test('items are ranked by score, highest first, each once, and come from my own tags only', async () => {
    const jazzToken = await userWithTags(env.app, ['jazz'], 'Jazz');
    const metalToken = await userWithTags(env.app, ['metal'], 'Metal');
    const jazz = await env.app.api.get('/api/recommendations?limit=20', { token: jazzToken });
    const metal = await env.app.api.get('/api/recommendations?limit=20', { token: metalToken });
    assert.equal(jazz.body.items.length, 20);
    for (const item of jazz.body.items) assert.ok(item.tags.includes('jazz'), `${item.id} is not jazz`);
    for (const item of metal.body.items) assert.ok(item.tags.includes('metal'), `${item.id} is not metal`);
    const ids = jazz.body.items.map((item: { id: string }) => item.id);
    assert.equal(new Set(ids).size, ids.length);
    const scores = jazz.body.items.map((item: { score: number }) => item.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  });

  test('concurrent requests for the same cold tag share one catalog top call and one items call', async () => {
    // A catalog slow enough (and a timeout long enough) that every request arrives while the first one's calls
    // are still in flight, even on a loaded machine.
    const slow = await startAppWithCatalog({ CATALOG_TIMEOUT_MS: '5000', CATALOG_DEADLINE_MS: '6000' }, { knobs: { endpointLatencyMs: { top: 1500, items: 1500 } } });
    try {
      const token = await userWithTags(slow.app, ['lofi']);
      const answers = await Promise.all(Array.from({ length: 8 }, () => slow.app.api.get('/api/recommendations', { token })));
      const { calls } = slow.catalog.control.counts;
      assert.deepEqual(answers.map(({ status }) => status), Array(8).fill(200));
      assert.deepEqual(answers.map(({ body }) => body.source), Array(8).fill('catalog'));
      assert.equal(calls.top, 1, `8 concurrent requests made ${calls.top} top calls`);
      assert.equal(calls.items, 1, `8 concurrent requests made ${calls.items} items calls`);
    } finally {
      await slow.stop();
    }
  });

  test('a malformed cache entry is a miss: the answer is a normal 200 from the catalog, not a 500', async () => {
    const token = await userWithTags(env.app, ['chillout']);
    const first = await env.app.api.get('/api/recommendations', { token });
    assert.equal(first.body.source, 'catalog');
    const redis = createRedis(requireEnv('REDIS_URL'), env.app.config.REDIS_KEY_PREFIX);
    await redis.connect();
    try {
      const ids: string[] = first.body.items.map((item: { id: string }) => item.id);
      await redis.set('catalog:top:chillout', 'not json at all');
      for (const [index, id] of ids.entries()) {
        // JSON of the wrong shape, and an entry whose item lacks fields.
        const garbage = index % 2 === 0 ? { value: { id }, fetchedAt: Date.now() } : { value: 'x', fetchedAt: 'yesterday' };
        await redis.set(`catalog:item:${id}`, JSON.stringify(garbage));
      }
    } finally {
      await redis.quit();
    }
    env.catalog.control.resetCalls();
    const second = await env.app.api.get('/api/recommendations', { token });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal(second.body.source, 'catalog');
    assert.deepEqual(second.body.items, first.body.items);
    assert.equal(env.catalog.control.counts.calls.top, 1, 'the unreadable top list was fetched again');
  });

  test('a user without tagged tasks gets the overall chart', async () => {
    const { token } = await env.app.api.newUser('Newcomer');
    const { status, body } = await env.app.api.get('/api/recommendations?limit=5', { token });
    assert.equal(status, 200);
    assert.deepEqual(body.items.map((item: { id: string }) => item.id), env.catalog.data.topIds(undefined, 5));
  });

  test('limit defaults to 10 and must be 1 to 50', async () => {
    const { token } = await env.app.api.newUser('Limits');
    assert.equal((await env.app.api.get('/api/recommendations', { token })).body.items.length, 10);
    for (const limit of ['0', '51', 'abc', '2.5']) {
      const { status, body } = await env.app.api.get(`/api/recommendations?limit=${limit}`, { token });
      assert.equal(status, 400, `limit=${limit}`);
      assert.equal(body.code, 'VALIDATION_FAILED');
      assert.deepEqual(body.details[0].path, ['query', 'limit']);
    }
  });

  test('requires a bearer token', async () => {
    assert.equal((await env.app.api.get('/api/recommendations')).status, 401);
  });
});
