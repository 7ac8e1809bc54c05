import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CatalogControl } from '../../catalog/src/catalogControl.ts';
import { CatalogData } from '../../catalog/src/catalogData.ts';
import { catalogOptionsFromEnv } from '../../catalog/src/catalogEnv.ts';
import { startCatalog, type RunningCatalog } from '../../catalog/src/startCatalog.ts';
import { FakeClock } from '../support/fakeClock.ts';

describe('catalog stand-in data', () => {
  test('the same seed gives the same catalog, another seed another one', () => {
    assert.deepEqual(new CatalogData(7, 300).topIds('jazz', 20), new CatalogData(7, 300).topIds('jazz', 20));
    assert.notDeepEqual(new CatalogData(7, 300).topIds(undefined, 20), new CatalogData(8, 300).topIds(undefined, 20));
  });

  test('a tag that is no genre still gets a stable top list', () => {
    const data = new CatalogData(1, 500);
    assert.ok(data.topIds('groceries', 10).length === 10);
    assert.deepEqual(data.topIds('groceries', 10), data.topIds('groceries', 10));
  });
});

describe('catalog stand-in knobs', () => {
  test('the rate limit allows N requests per one-second window, then 429 with the seconds left', () => {
    const clock = new FakeClock();
    const control = new CatalogControl({ rateLimitRps: 2 }, () => 0.5, clock.now);
    assert.deepEqual(['top', 'top', 'items'].map((endpoint) => control.admit(endpoint as 'top').kind), ['none', 'none', 'rateLimited']);
    clock.advance(1000);
    assert.equal(control.admit('top').kind, 'none');
    assert.deepEqual(control.counts, { calls: { top: 3, items: 1, healthz: 0 }, rejected: { rateLimited: 1, serverError: 0, down: 0 } });
  });

  test('the error rate is the share of requests failed; down wins over everything', () => {
    let dice = 0;
    const control = new CatalogControl({ errorRate: 0.5 }, () => [0.1, 0.9][dice++ % 2] as number);
    assert.deepEqual([1, 2, 3, 4].map(() => control.admit('items').kind), ['serverError', 'none', 'serverError', 'none']);
    control.set({ down: true });
    assert.equal(control.admit('healthz').kind, 'down');
  });

  test('set changes only the given knobs and merges per-endpoint latency; resetCalls zeroes the counters', () => {
    const control = new CatalogControl({ latencyMs: 20 }, Math.random);
    control.set({ endpointLatencyMs: { items: 5 } });
    control.set({ endpointLatencyMs: { top: 7 }, errorRate: 0.1 });
    assert.deepEqual(control.knobs, { latencyMs: 20, endpointLatencyMs: { items: 5, top: 7 }, errorRate: 0.1, rateLimitRps: 0, down: false });
    control.admit('top');
    control.set({ resetCalls: true });
    assert.equal(control.counts.calls.top, 0);
  });

  test('the environment sets the starting knobs; a bad value is named', () => {
    const options = catalogOptionsFromEnv({ CATALOG_PORT: '0', CATALOG_ITEMS_LATENCY_MS: '30', CATALOG_RATE_LIMIT_RPS: '5', CATALOG_DOWN: 'true' });
    assert.equal(options.port, 0);
    assert.deepEqual(options.knobs, { latencyMs: 0, endpointLatencyMs: { items: 30 }, errorRate: 0, rateLimitRps: 5, down: true });
    assert.throws(() => catalogOptionsFromEnv({ CATALOG_ERROR_RATE: '2' }), /CATALOG_ERROR_RATE/);
  });
});

describe('catalog stand-in HTTP API', () => {
  let catalog: RunningCatalog;
  before(async () => {
    catalog = await startCatalog({ itemCount: 300 });
  });
  after(() => catalog.stop());
  const get = (path: string, init?: RequestInit) => fetch(catalog.url + path, init);

  test('GET /v1/items returns the asked items in order, unknown ids left out', async () => {
    const response = await get('/v1/items?ids=itm_000002,nope,itm_000001');
    const body = await response.json();
    assert.deepEqual(body.items.map((item: { id: string }) => item.id), ['itm_000002', 'itm_000001']);
  });

  test('more than 50 ids in one items call is a 400', async () => {
    const ids = Array.from({ length: 51 }, (_, n) => `itm_${String(n + 1).padStart(6, '0')}`);
    assert.equal((await get(`/v1/items?ids=${ids.slice(0, 50).join(',')}`)).status, 200);
    assert.equal((await get(`/v1/items?ids=${ids.join(',')}`)).status, 400);
    assert.equal((await get('/v1/top?limit=0')).status, 400);
  });

  test('PUT /control changes knobs at run time: 429 with Retry-After, then closed connections when down', async () => {
    const put = (body: unknown) => get('/control', { method: 'PUT', body: JSON.stringify(body) });
    assert.equal((await put({ rateLimitRps: 1, resetCalls: true })).status, 200);
    await get('/v1/top?tag=jazz');
    const limited = await get('/v1/top?tag=jazz');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal((await put({ rateLimitRps: 0, down: true })).status, 200);
    await assert.rejects(get('/healthz'));
    const state = await (await get('/control')).json();
    assert.deepEqual(state.calls, { top: 2, items: 0, healthz: 1 });
    assert.equal((await put({ down: false })).status, 200);
    assert.equal((await get('/healthz')).status, 200);
  });

  test('invalid knobs are a 400 naming the field', async () => {
    const response = await get('/control', { method: 'PUT', body: JSON.stringify({ errorRate: 3 }) });
    assert.equal(response.status, 400);
    assert.deepEqual((await response.json()).details[0].path, ['errorRate']);
  });
});
