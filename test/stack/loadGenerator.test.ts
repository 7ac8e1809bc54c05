import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { seededRandom } from '../../catalog/src/catalogData.ts';
import { startCatalog, type RunningCatalog } from '../../catalog/src/startCatalog.ts';
import { startLoad } from '../../stack/loadgen/startLoad.ts';
import { startTestApp, type TestApp } from '../support/startTestApp.ts';

const KINDS = ['create 201', 'detail 200', 'invalid task 400', 'list 200', 'missing task 404', 'recommendations 200', 'unknown route 404', 'update 200'];

/** Waits until `done()` holds, checking every 50 ms; fails after `timeoutMs`. */
async function until(timeoutMs: number, done: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

describe('load generator', () => {
  let catalog: RunningCatalog;
  let app: TestApp;
  before(async () => {
    catalog = await startCatalog();
    app = await startTestApp({ CATALOG_URL: catalog.url });
  });
  after(async () => {
    await app?.stop();
    await catalog?.stop();
  });

  it('sends every kind of request of its mix, the deliberate 4xx included, and a healthy app answers each as expected', async () => {
    // Until every kind has been answered, not for a fixed time: a busy machine sends fewer requests per second,
    // and the rarest kind (2% of the mix) may come late in the seeded sequence.
    const load = await startLoad({ targetUrl: app.service.url, rate: 50, users: 2, random: seededRandom(7) });
    await until(15_000, () => Object.keys(load.stats().byRequest).length >= KINDS.length);
    await load.stop();
    const stats = load.stats();
    assert.deepEqual(Object.keys(stats.byRequest).sort(), KINDS);
    assert.equal(stats.unexpected, 0, JSON.stringify(stats));
    assert.equal(stats.networkErrors, 0);
    const answered = Object.values(stats.byRequest).reduce((sum, count) => sum + count, 0);
    assert.equal(answered, stats.sent);
  });

  it('keeps to its rate: no more requests than rate × duration', async () => {
    const load = await startLoad({ targetUrl: app.service.url, rate: 20, users: 1, durationMs: 1_000 });
    await load.done;
    assert.ok(load.stats().sent <= 20, `sent ${load.stats().sent}`);
  });

  it('skips ticks instead of piling up requests on a slow app', async () => {
    // A fresh app has an empty cache, so its first recommendation waits for the (slowed) catalog.
    const coldApp = await startTestApp({ CATALOG_URL: catalog.url });
    catalog.control.set({ latencyMs: 400 });
    try {
      // Until a recommendation has been answered (one slow request is enough to skip ticks), not for a fixed time.
      const load = await startLoad({ targetUrl: coldApp.service.url, rate: 100, users: 1, maxInFlight: 1, random: seededRandom(7) });
      await until(15_000, () => load.stats().byRequest['recommendations 200'] !== undefined);
      await load.stop();
      const { skipped, sent, byRequest } = load.stats();
      assert.ok(byRequest['recommendations 200'], JSON.stringify(byRequest));
      assert.ok(skipped > 0, `skipped ${skipped} of ${sent + skipped} ticks`);
    } finally {
      catalog.control.set({ latencyMs: 0 });
      await coldApp.stop();
    }
  });
});
