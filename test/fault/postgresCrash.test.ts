import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { startTestApp } from '../support/startTestApp.ts';
import { startThrowawayPostgres } from '../support/throwawayPostgres.ts';
import { countOutcomes, startWriteLoad, taskTitles } from '../support/writeLoad.ts';

const WORKERS = 8;
const CONNECTION_TIMEOUT_MS = 2_000;
/** An answer later than the pool's connection timeout plus this is a hang. */
const HANG_MARGIN_MS = 3_000;
const RECOVERY_BOUND_MS = 5_000;

test('PostgreSQL crashed and started again under write load: only 503 DATABASE_UNAVAILABLE meanwhile, no acknowledged write lost, serving again without an app restart', { timeout: 90_000 }, async (t) => {
  const postgres = await startThrowawayPostgres();
  t.after(() => postgres.remove());
  const app = await startTestApp({ DATABASE_URL: postgres.url, PG_CONNECTION_TIMEOUT_MS: String(CONNECTION_TIMEOUT_MS) });
  t.after(() => app.stop());
  const tokens = await Promise.all(Array.from({ length: WORKERS }, (_, i) => app.api.newUser(`Writer${i}`).then((user) => user.token)));

  const load = startWriteLoad({ baseUrl: app.service.url, tokens, requestTimeoutMs: 20_000 });
  await sleep(3_000);
  const crashAt = performance.now();
  await postgres.crash();
  const downAt = performance.now();
  await sleep(500);
  const readyDuring = await app.api.get('/readyz');
  await sleep(2_500);
  const restartAt = performance.now();
  await postgres.start();
  const upAt = performance.now();
  let firstOk: number | undefined;
  while (performance.now() - upAt < RECOVERY_BOUND_MS * 2) {
    firstOk = load.outcomes.find((o) => o.startedAt >= upAt && o.status !== undefined && o.status < 300)?.endedAt;
    if (firstOk !== undefined) break;
    await sleep(50);
  }
  await sleep(2_000);
  await load.stop();
  const readyAfter = await app.api.get('/readyz');

  const { checked, lost } = load.lost(await taskTitles(postgres.url));

  // Answered before the crash; a request still in flight when PostgreSQL dies may rightly get a 503 (counted under `all`).
  const before = load.outcomes.filter((o) => o.endedAt < crashAt);
  const outage = load.outcomes.filter((o) => o.startedAt >= downAt && o.startedAt < restartAt);
  const recovering = load.outcomes.filter((o) => o.startedAt >= restartAt && (firstOk === undefined || o.startedAt < firstOk));
  const after = load.outcomes.filter((o) => firstOk !== undefined && o.startedAt >= firstOk + 1_000);
  const slowestOutageMs = Math.max(0, ...outage.map((o) => o.endedAt - o.startedAt));
  const recoveryMs = firstOk === undefined ? undefined : firstOk - upAt;
  const figures = {
    acknowledged: load.acknowledged(),
    tasksChecked: checked,
    lost: lost.length,
    before: countOutcomes(before),
    duringCrash: countOutcomes(load.outcomes.filter((o) => o.startedAt >= crashAt && o.startedAt < downAt)),
    outage: countOutcomes(outage),
    recovering: countOutcomes(recovering),
    after: countOutcomes(after),
    all: countOutcomes(load.outcomes),
    slowestOutageAnswerMs: Math.round(slowestOutageMs),
    downForMs: Math.round(upAt - downAt),
    recoveryMs: recoveryMs === undefined ? 'none' : Math.round(recoveryMs),
  };
  const summary = JSON.stringify(figures);
  t.diagnostic(summary);

  assert.deepEqual(lost, [], summary);
  assert.ok(outage.length > 0, `no request during the outage: ${summary}`);
  assert.deepEqual(Object.keys(countOutcomes(outage)), ['503 DATABASE_UNAVAILABLE'], summary);
  assert.ok(slowestOutageMs < CONNECTION_TIMEOUT_MS + HANG_MARGIN_MS, summary);
  for (const [name, phase] of Object.entries({ before, after })) {
    assert.ok(phase.length > 0 && phase.every((o) => o.status !== undefined && o.status < 300), `${name}: ${summary}`);
  }
  const unexpected = load.outcomes.filter((o) => !(o.status !== undefined && (o.status < 300 || o.code === 'DATABASE_UNAVAILABLE')));
  assert.equal(unexpected.length, 0, `answers other than 2xx and 503 DATABASE_UNAVAILABLE: ${summary}`);
  assert.ok(recoveryMs !== undefined && recoveryMs < RECOVERY_BOUND_MS, summary);
  assert.equal(readyDuring.status, 503, JSON.stringify(readyDuring.body));
  assert.equal(readyDuring.body.details.postgres, 'unavailable');
  assert.equal(readyAfter.status, 200, JSON.stringify(readyAfter.body));
});
