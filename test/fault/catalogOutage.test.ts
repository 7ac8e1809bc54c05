import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { startAppWithCatalog, userWithTags } from '../support/startAppWithCatalog.ts';

const USERS = 6;
const WORKERS = 4;
const REQUESTS_PER_WORKER = 40;
const DEADLINE_MS = 1000;
/** Room for a loaded machine on top of the deadline; an answer that waited through retries would take longer. */
const ANSWER_BOUND_MS = DEADLINE_MS + 1500;

interface Answer {
  status: number;
  source: string | undefined;
  degraded: boolean | undefined;
  items: number;
  ms: number;
}

test('catalog down under load with a stale cache: every answer is 200 from the stale copy, degraded, within the deadline', async (t) => {
  const env = await startAppWithCatalog({
    CACHE_TTL_SECONDS: '1',
    CATALOG_DEADLINE_MS: String(DEADLINE_MS),
    CATALOG_BREAKER_COOLDOWN_MS: '500',
  });
  t.after(() => env.stop());
  const { app, catalog } = env;
  const genres = ['jazz', 'rock', 'folk', 'soul', 'blues', 'metal'];
  const tokens: string[] = [];
  for (let user = 0; user < USERS; user++) {
    tokens.push(await userWithTags(app, [genres[user % genres.length] ?? 'jazz', genres[(user + 1) % genres.length] ?? 'rock'], `Listener${user}`));
  }
  // Users share tags, so later ones may already find theirs cached.
  for (const token of tokens) assert.equal((await app.api.get('/api/recommendations', { token })).status, 200, 'warming the cache');
  // Past CACHE_TTL_SECONDS every cached copy is stale: each request asks the catalog first.
  await sleep(1100);

  catalog.control.set({ down: true, resetCalls: true });
  const answers: Answer[] = [];
  await Promise.all(Array.from({ length: WORKERS }, async (_, worker) => {
    for (let n = 0; n < REQUESTS_PER_WORKER; n++) {
      const token = tokens[(worker + n) % USERS] ?? '';
      const startedAt = performance.now();
      const { status, body } = await app.api.get('/api/recommendations', { token });
      answers.push({ status, source: body?.source, degraded: body?.degraded, items: body?.items?.length ?? 0, ms: performance.now() - startedAt });
    }
  }));
  const during = catalog.control.counts;

  const count = (key: (answer: Answer) => string) => Object.fromEntries(Object.entries(Object.groupBy(answers, key)).map(([name, group]) => [name, group?.length ?? 0]));
  const times = answers.map(({ ms }) => ms).sort((a, b) => a - b);
  const quantile = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0);
  const summary = {
    requests: answers.length,
    byStatus: count(({ status }) => String(status)),
    bySource: count(({ source }) => String(source)),
    degraded: answers.filter(({ degraded }) => degraded === true).length,
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    maxMs: Math.round(times.at(-1) ?? 0),
    catalogCallsDuringOutage: during.calls,
    refusedByDownCatalog: during.rejected.down,
  };
  t.diagnostic(`outage: ${JSON.stringify(summary)}`);
  const message = JSON.stringify(summary);
  assert.equal(answers.length, WORKERS * REQUESTS_PER_WORKER, message);
  assert.deepEqual(summary.byStatus, { 200: answers.length }, message);
  assert.deepEqual(summary.bySource, { stale: answers.length }, message);
  assert.equal(summary.degraded, answers.length, message);
  assert.ok(answers.every(({ items }) => items === 10), `every answer has its 10 items: ${message}`);
  assert.ok(summary.maxMs < ANSWER_BOUND_MS, `slowest answer ${summary.maxMs} ms, bound ${ANSWER_BOUND_MS} ms: ${message}`);
  // One attempt per call with a stale copy at hand, and the breaker open most of the time: far fewer catalog
  // requests than the retries of every call would make.
  const catalogRequests = during.calls.top + during.calls.items;
  assert.ok(catalogRequests < answers.length, `${catalogRequests} catalog requests for ${answers.length} answers: ${message}`);

  catalog.control.set({ down: false });
  const recoveryStart = performance.now();
  let source: string | undefined;
  while (source !== 'catalog' && performance.now() - recoveryStart < 10_000) {
    source = (await app.api.get('/api/recommendations', { token: tokens[0] ?? '' })).body.source;
    if (source !== 'catalog') await sleep(100);
  }
  const recoveryMs = Math.round(performance.now() - recoveryStart);
  t.diagnostic(`recovery: answers from the catalog again after ${recoveryMs} ms`);
  assert.equal(source, 'catalog', `still ${source} ${recoveryMs} ms after the catalog came back (breaker cooldown 500 ms)`);
});
