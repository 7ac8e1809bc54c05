import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { httpAnswer, type HttpOutcome } from '../support/httpAnswer.ts';
import { startAppWithCatalog, userWithTags } from '../support/startAppWithCatalog.ts';
import { startThrowawayRedis } from '../support/throwawayRedis.ts';
import { countOutcomes } from '../support/writeLoad.ts';

const WORKERS = 8;

test('Redis killed and restarted under recommendation load: every answer 200 and /readyz 200 throughout, the cache reported degraded meanwhile', { timeout: 90_000 }, async (t) => {
  const redis = await startThrowawayRedis();
  // Without its cache every request calls the catalog: generous catalog timeouts, so a loaded machine's slow catalog
  // answers are not mistaken for an outage (the catalog is healthy here; only Redis fails).
  const { app, stop } = await startAppWithCatalog({ REDIS_URL: redis.url, CATALOG_TIMEOUT_MS: '5000', CATALOG_MAX_ATTEMPTS: '4' });
  // Redis killed first: the app's stop() once hung on a quit() that a just-killed Redis never answered.
  t.after(async () => {
    await redis.kill();
    await stop();
  });
  const tokens = await Promise.all(Array.from({ length: WORKERS }, (_, i) => userWithTags(app, ['jazz', 'rock', 'ambient'], `Listener${i}`)));

  const outcomes: HttpOutcome[] = [];
  const readiness: HttpOutcome[] = [];
  let stopping = false;
  const loop = async (send: () => Promise<HttpOutcome>, into: HttpOutcome[], pauseMs: number) => {
    while (!stopping) {
      into.push(await send());
      if (pauseMs > 0) await sleep(pauseMs);
    }
  };
  const url = app.service.url;
  const running = Promise.all([
    ...tokens.map((token) => loop(() => httpAnswer('GET', `${url}/api/recommendations`, { token, timeoutMs: 10_000 }), outcomes, 0)),
    loop(() => httpAnswer('GET', `${url}/readyz`, { timeoutMs: 5_000 }), readiness, 100),
  ]);
  await sleep(2_000);
  const killAt = performance.now();
  await redis.kill();
  await sleep(3_000);
  const restartAt = performance.now();
  await redis.start();
  // ioredis reconnects on its own schedule (createRedis: at most 2 s between attempts).
  let cacheBackAt: number | undefined;
  while (performance.now() - restartAt < 8_000) {
    cacheBackAt = readiness.find((o) => o.startedAt >= restartAt && o.body?.checks?.redis === 'ok')?.endedAt;
    if (cacheBackAt !== undefined) break;
    await sleep(50);
  }
  await sleep(1_000);
  stopping = true;
  await running;

  const phase = (list: HttpOutcome[], from: number, to: number) => list.filter((o) => o.startedAt >= from && o.startedAt < to);
  const sources = (list: HttpOutcome[]) => countOutcomes(list.map((o) => ({ ...o, code: o.body?.source })));
  const outage = phase(outcomes, killAt, restartAt);
  const cacheStates = (list: HttpOutcome[]) => [...new Set(list.map((o) => `${o.status} redis=${o.body?.checks?.redis}`))];
  const figures = {
    answers: countOutcomes(outcomes),
    sourcesBefore: sources(phase(outcomes, 0, killAt)),
    sourcesDuringOutage: sources(outage),
    sourcesAfter: sources(phase(outcomes, restartAt, Infinity)),
    readyzBefore: cacheStates(phase(readiness, 0, killAt)),
    readyzDuringOutage: cacheStates(phase(readiness, killAt + 200, restartAt)),
    readyzAfterRestart: cacheStates(phase(readiness, restartAt, Infinity)),
    cacheBackAfterMs: cacheBackAt === undefined ? 'never' : Math.round(cacheBackAt - restartAt),
  };
  const summary = JSON.stringify(figures);
  t.diagnostic(summary);

  assert.ok(outage.length > 0, summary);
  assert.deepEqual(Object.keys(figures.answers), ['200'], summary);
  assert.ok(readiness.every((o) => o.status === 200), summary);
  assert.deepEqual(figures.readyzDuringOutage, ['200 redis=degraded'], summary);
  assert.ok(cacheBackAt !== undefined, summary);
});
