import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { CatalogRequestError, CatalogUnavailableError } from '../../app/src/recommendations/catalogErrors.ts';
import { CatalogHttp } from '../../app/src/recommendations/catalogHttp.ts';
import { CircuitBreaker } from '../../app/src/recommendations/circuitBreaker.ts';
import { RetryBudget } from '../../app/src/recommendations/retryBudget.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { RecordingMetrics } from '../support/recordingMetrics.ts';

const schema = z.object({ ids: z.array(z.string()) });
const ok = () => Response.json({ ids: ['a'] });

/** A fetch that answers each call with the next of `answers` (a Response, or an error to throw). */
function scriptedFetch(answers: (() => Response | Error)[]): typeof fetch & { urls: string[] } {
  const urls: string[] = [];
  const fetchFn = async (input: string | URL | Request) => {
    urls.push(String(input));
    const answer = answers[urls.length - 1]?.() ?? new Error('no more answers');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return Object.assign(fetchFn, { urls }) as typeof fetch & { urls: string[] };
}

function client(answers: (() => Response | Error)[], overrides: { threshold?: number; budget?: RetryBudget } = {}) {
  const clock = new FakeClock();
  const metrics = new RecordingMetrics();
  const fetch = scriptedFetch(answers);
  const breaker = new CircuitBreaker({ threshold: overrides.threshold ?? 10, cooldownMs: 5000, now: clock.now });
  const http = new CatalogHttp({
    baseUrl: 'http://catalog.test',
    fetch,
    timeoutMs: 1000,
    maxAttempts: 4,
    backoffBaseMs: 100,
    backoffMaxMs: 2000,
    breaker,
    budget: overrides.budget ?? new RetryBudget(),
    clock,
    metrics,
  });
  return { http, clock, metrics, fetch, breaker };
}

const status = (code: number, headers: Record<string, string> = {}) => () => new Response('{}', { status: code, headers });
const timeout = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');
const networkError = () => new TypeError('fetch failed');

test('5xx, timeouts and network errors are retried with jittered exponential backoff until one succeeds', async () => {
  const { http, clock, metrics, fetch } = client([status(503), timeout, networkError, ok]);
  assert.deepEqual(await http.get('top', '/v1/top?tag=jazz', schema), { ids: ['a'] });
  assert.equal(fetch.urls.length, 4);
  assert.equal(fetch.urls[0], 'http://catalog.test/v1/top?tag=jazz');
  // random() is 0.5: half of 100, 200, 400 ms.
  assert.deepEqual(clock.sleeps, [50, 100, 200]);
  assert.deepEqual(metrics.events, [
    'attempt top server_error', 'retry top server_error',
    'attempt top timeout', 'retry top timeout',
    'attempt top network_error', 'retry top network_error',
    'attempt top success',
  ]);
});

test('a 429 waits what Retry-After asks, capped by the maximum backoff', async () => {
  const { http, clock, metrics } = client([status(429, { 'retry-after': '1' }), status(429, { 'retry-after': '30' }), ok]);
  await http.get('top', '/v1/top', schema);
  assert.deepEqual(clock.sleeps, [1000, 2000]);
  assert.ok(metrics.events.includes('retry top rate_limited'));
});

test('a 4xx other than 429 is not retried', async () => {
  const { http, fetch, clock } = client([status(400), ok]);
  await assert.rejects(http.get('items', '/v1/items?ids=', schema), CatalogRequestError);
  assert.equal(fetch.urls.length, 1);
  assert.deepEqual(clock.sleeps, []);
});

test('after the last attempt the call fails as unavailable', async () => {
  const { http, fetch } = client([status(500), status(502), status(503), status(504), ok]);
  await assert.rejects(http.get('top', '/v1/top', schema), (error: Error) => error instanceof CatalogUnavailableError && /4 attempts/.test(error.message));
  assert.equal(fetch.urls.length, 4);
});

test('a 200 whose body does not fit the schema is treated like a server error and retried', async () => {
  const { http, metrics } = client([() => new Response('not json'), () => Response.json({ wrong: true }), ok]);
  assert.deepEqual(await http.get('top', '/v1/top', schema), { ids: ['a'] });
  assert.deepEqual(metrics.events.filter((event) => event.startsWith('attempt')), ['attempt top server_error', 'attempt top server_error', 'attempt top success']);
});

test('a spent retry budget stops retrying at once', async () => {
  const budget = new RetryBudget({ ratio: 0, maxTokens: 1 });
  const { http, fetch } = client([status(503), status(503), status(503), ok], { budget });
  await assert.rejects(http.get('top', '/v1/top', schema), /retry budget spent/);
  assert.equal(fetch.urls.length, 2, 'the first attempt and the one retry the budget allowed');
});

test('the open breaker refuses calls without touching the network, and counts the refusal', async () => {
  const { http, fetch, metrics, breaker } = client([networkError, networkError, ok], { threshold: 2 });
  await assert.rejects(http.get('items', '/v1/items?ids=a', schema), /circuit breaker open/);
  assert.equal(breaker.state, 'open');
  assert.equal(fetch.urls.length, 2);
  await assert.rejects(http.get('items', '/v1/items?ids=a', schema), CatalogUnavailableError);
  assert.equal(fetch.urls.length, 2);
  assert.deepEqual(metrics.events.filter((event) => event.startsWith('rejected')), ['rejected items', 'rejected items']);
});

test('429s do not open the breaker: the catalog is alive, only busy', async () => {
  const { http, breaker } = client([status(429), status(429), status(429), status(429)], { threshold: 2 });
  await assert.rejects(http.get('top', '/v1/top', schema), CatalogUnavailableError);
  assert.equal(breaker.state, 'closed');
});
