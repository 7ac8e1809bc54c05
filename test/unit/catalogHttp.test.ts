import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { z } from 'zod';
import { CatalogRequestError, CatalogUnavailableError } from '../../app/src/recommendations/catalogErrors.ts';
import { CatalogHttp, type CatalogCall } from '../../app/src/recommendations/catalogHttp.ts';
import { CircuitBreaker } from '../../app/src/recommendations/circuitBreaker.ts';
import { Deadline } from '../../app/src/recommendations/deadline.ts';
import { RetryBudget } from '../../app/src/recommendations/retryBudget.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { RecordingMetrics } from '../support/recordingMetrics.ts';

const schema = z.object({ ids: z.array(z.string()) });
const ok = () => Response.json({ ids: ['a'] });

type Answer = (init: RequestInit | undefined) => Response | Error | Promise<Response>;

/** A fetch that answers each call with the next of `answers` (a Response, or an error to throw). */
function scriptedFetch(answers: Answer[]): typeof fetch & { urls: string[] } {
  const urls: string[] = [];
  const fetchFn = async (input: string | URL | Request, init?: RequestInit) => {
    urls.push(String(input));
    const answer = (await answers[urls.length - 1]?.(init)) ?? new Error('no more answers');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return Object.assign(fetchFn, { urls }) as typeof fetch & { urls: string[] };
}

interface Overrides {
  threshold?: number;
  budget?: RetryBudget;
  fetch?: typeof fetch;
  baseUrl?: string;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

function client(answers: Answer[], overrides: Overrides = {}) {
  const clock = new FakeClock();
  const metrics = new RecordingMetrics();
  const fetch = scriptedFetch(answers);
  const breaker = new CircuitBreaker({ threshold: overrides.threshold ?? 10, cooldownMs: 5000, now: clock.now });
  const http = new CatalogHttp({
    baseUrl: overrides.baseUrl ?? 'http://catalog.test',
    fetch: overrides.fetch ?? fetch,
    timeoutMs: overrides.timeoutMs ?? 1000,
    maxAttempts: 4,
    backoffBaseMs: 100,
    backoffMaxMs: 2000,
    maxResponseBytes: overrides.maxResponseBytes ?? 1_048_576,
    breaker,
    budget: overrides.budget ?? new RetryBudget(),
    clock,
    metrics,
  });
  /** A call with a deadline of `deadlineMs` on the fake clock (and of real time for its signal). */
  const call = (deadlineMs = 60_000, maxAttempts?: number): CatalogCall => ({
    deadline: new Deadline(deadlineMs, clock.now),
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });
  return { http, clock, metrics, fetch, breaker, call };
}

const status = (code: number, headers: Record<string, string> = {}) => () => new Response('{}', { status: code, headers });
const timeout = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');
const networkError = () => new TypeError('fetch failed');

/** A real HTTP server on a free loopback port, stopped when the test ends. */
async function serve(t: { after(fn: () => Promise<void>): void }, handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('5xx, timeouts and network errors are retried with jittered exponential backoff until one succeeds', async () => {
  const { http, clock, metrics, fetch, call } = client([status(503), timeout, networkError, ok]);
  assert.deepEqual(await http.get('top', '/v1/top?tag=jazz', schema, call()), { ids: ['a'] });
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

test('a 429 waits what Retry-After asks when it is within the longest wait', async () => {
  const { http, clock, metrics, call } = client([status(429, { 'retry-after': '1' }), status(429, { 'retry-after': '2' }), ok]);
  await http.get('top', '/v1/top', schema, call());
  assert.deepEqual(clock.sleeps, [1000, 2000]);
  assert.ok(metrics.events.includes('retry top rate_limited'));
});

test('a Retry-After longer than the longest wait ends the call at once, without a retry and without counting against the breaker', async () => {
  const { http, clock, metrics, fetch, breaker, call } = client([status(429, { 'retry-after': '30' }), ok], { threshold: 1 });
  await assert.rejects(http.get('top', '/v1/top', schema, call()), (error: Error) => error instanceof CatalogUnavailableError && /Retry-After asks for 30000 ms/.test(error.message));
  assert.equal(fetch.urls.length, 1);
  assert.deepEqual(clock.sleeps, []);
  assert.deepEqual(metrics.events, ['attempt top rate_limited']);
  assert.equal(breaker.state, 'closed', 'a 429 is an alive catalog, even with threshold 1');
});

test('a 4xx other than 429 is not retried', async () => {
  const { http, fetch, clock, call } = client([status(400), ok]);
  await assert.rejects(http.get('items', '/v1/items?ids=', schema, call()), CatalogRequestError);
  assert.equal(fetch.urls.length, 1);
  assert.deepEqual(clock.sleeps, []);
});

test('after the last attempt the call fails as unavailable', async () => {
  const { http, fetch, call } = client([status(500), status(502), status(503), status(504), ok]);
  await assert.rejects(http.get('top', '/v1/top', schema, call()), (error: Error) => error instanceof CatalogUnavailableError && /4 attempts/.test(error.message));
  assert.equal(fetch.urls.length, 4);
});

test('a call may ask for fewer attempts than configured (one, when a stale copy can answer instead)', async () => {
  const { http, fetch, clock, call } = client([status(503), ok]);
  await assert.rejects(http.get('top', '/v1/top', schema, call(60_000, 1)), /1 attempts/);
  assert.equal(fetch.urls.length, 1);
  assert.deepEqual(clock.sleeps, []);
});

test('a backoff wait that would end past the deadline is not started', async () => {
  // Waits of 50 and 100 ms fit in 300 ms; after them 150 ms are left, and the next wait is 200 ms.
  const { http, fetch, clock, call } = client([status(503), status(503), status(503), ok]);
  await assert.rejects(http.get('top', '/v1/top', schema, call(300)), /a 200 ms wait would end past the deadline/);
  assert.deepEqual(clock.sleeps, [50, 100]);
  assert.equal(fetch.urls.length, 3);
});

test('the deadline aborts the attempt in flight and no retry follows', async () => {
  const hang: Answer = (init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
  const { http, fetch, metrics, call } = client([hang, ok], { timeoutMs: 30_000 });
  const startedAt = performance.now();
  await assert.rejects(http.get('top', '/v1/top', schema, call(100)), CatalogUnavailableError);
  const elapsedMs = performance.now() - startedAt;
  assert.ok(elapsedMs < 5000, `answered after ${elapsedMs} ms; the deadline was 100 ms, the attempt timeout 30 s`);
  assert.equal(fetch.urls.length, 1);
  assert.deepEqual(metrics.events, ['attempt top timeout']);
});

test('concurrent calls for the same path share one request; another attempt count is another call', async () => {
  const { http, fetch, call } = client([ok, ok, ok, ok]);
  const shared = await Promise.all([1, 2, 3].map(() => http.get('top', '/v1/top?tag=jazz', schema, call())));
  assert.deepEqual(shared, [{ ids: ['a'] }, { ids: ['a'] }, { ids: ['a'] }]);
  assert.equal(fetch.urls.length, 1);
  await Promise.all([http.get('top', '/v1/top?tag=soul', schema, call()), http.get('top', '/v1/top?tag=soul', schema, call(60_000, 1))]);
  assert.equal(fetch.urls.length, 3);
  await http.get('top', '/v1/top?tag=jazz', schema, call());
  assert.equal(fetch.urls.length, 4, 'nothing is kept once the call has settled');
});

test('a 200 whose body does not fit the schema is treated like a server error and retried', async () => {
  const { http, metrics, call } = client([() => new Response('not json'), () => Response.json({ wrong: true }), ok]);
  assert.deepEqual(await http.get('top', '/v1/top', schema, call()), { ids: ['a'] });
  assert.deepEqual(metrics.events.filter((event) => event.startsWith('attempt')), ['attempt top server_error', 'attempt top server_error', 'attempt top success']);
});

test('a spent retry budget stops retrying at once', async () => {
  const budget = new RetryBudget({ ratio: 0, maxTokens: 1 });
  const { http, fetch, call } = client([status(503), status(503), status(503), ok], { budget });
  await assert.rejects(http.get('top', '/v1/top', schema, call()), /retry budget spent/);
  assert.equal(fetch.urls.length, 2, 'the first attempt and the one retry the budget allowed');
});

test('the open breaker refuses calls without touching the network, and counts the refusal', async () => {
  const { http, fetch, metrics, breaker, call } = client([networkError, networkError, ok], { threshold: 2 });
  await assert.rejects(http.get('items', '/v1/items?ids=a', schema, call()), /circuit breaker open/);
  assert.equal(breaker.state, 'open');
  assert.equal(fetch.urls.length, 2);
  await assert.rejects(http.get('items', '/v1/items?ids=a', schema, call()), CatalogUnavailableError);
  assert.equal(fetch.urls.length, 2);
  assert.deepEqual(metrics.events.filter((event) => event.startsWith('rejected')), ['rejected items', 'rejected items']);
});

test('429s do not open the breaker: the catalog is alive, only busy', async () => {
  const { http, breaker, call } = client([status(429), status(429), status(429), status(429)], { threshold: 2 });
  await assert.rejects(http.get('top', '/v1/top', schema, call()), CatalogUnavailableError);
  assert.equal(breaker.state, 'closed');
});

test('a redirect from a real server is not followed and counts as a server error', async (t) => {
  let followed = 0;
  const target = await serve(t, (_request, response) => {
    followed++;
    response.end(JSON.stringify({ ids: ['elsewhere'] }));
  });
  const catalog = await serve(t, (_request, response) => response.writeHead(302, { location: `${target}/v1/top` }).end());
  const { http, metrics, call } = client([], { fetch: globalThis.fetch, baseUrl: catalog });
  await assert.rejects(http.get('top', '/v1/top', schema, call(60_000, 1)), /HTTP 302 redirect to .* not followed/);
  assert.equal(followed, 0, 'the redirect target was never asked');
  assert.deepEqual(metrics.events, ['attempt top server_error']);
});

test('a real server\'s body past the size cap is cut off, not read to its end, and counts as a server error', async (t) => {
  let written = 0;
  let closed = false;
  // An endless body: only a reader that stops at the cap ever finishes.
  const catalog = await serve(t, (request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    request.socket.on('close', () => (closed = true));
    const chunk = Buffer.alloc(16_384, 'x');
    const pump = () => {
      while (!closed && response.write(chunk)) written += chunk.length;
      if (!closed) response.once('drain', pump);
    };
    pump();
  });
  const { http, metrics, call } = client([], { fetch: globalThis.fetch, baseUrl: catalog, maxResponseBytes: 65_536 });
  await assert.rejects(http.get('top', '/v1/top', schema, call(60_000, 1)), /body over 65536 bytes/);
  assert.deepEqual(metrics.events, ['attempt top server_error']);
  t.diagnostic(`the server had written ${written} bytes when the client stopped reading`);
});
