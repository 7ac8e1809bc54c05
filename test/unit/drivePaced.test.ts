import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { drivePaced } from '../../bench/support/drivePaced.ts';

test('the paced driver sends rate × duration requests, never ahead of schedule, and counts what it got', async (t) => {
  const arrivals: { at: number; path: string; authorization: string | undefined }[] = [];
  const server = createServer((request, response) => {
    arrivals.push({ at: performance.now(), path: request.url!, authorization: request.headers.authorization });
    response.statusCode = request.url === '/missing' ? 404 : 200;
    response.end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rate = 200;
  const started = performance.now();
  const result = await drivePaced(url, { durationS: 1, connections: 10, rate, headers: { authorization: 'Bearer bench-token' }, requests: [{ path: '/a' }, { path: '/missing' }] });

  assert.equal(arrivals.length, rate);
  assert.equal(result.requests.total, rate);
  assert.equal(result.errors, 0);
  assert.equal(result.non2xx, rate / 2);
  assert.deepEqual(result.statusCodeStats, { 200: { count: rate / 2 }, 404: { count: rate / 2 } });
  assert.deepEqual(new Set(arrivals.map((arrival) => arrival.path)), new Set(['/a', '/missing']));
  assert.ok(arrivals.every((arrival) => arrival.authorization === 'Bearer bench-token'));
  // Request n is due n / rate s after the start: however late the machine runs, none arrives before its time (a
  // driver that sends a second's share as the second begins, as autocannon's overallRate does, fails here).
  for (const [n, arrival] of arrivals.entries()) assert.ok(arrival.at - started >= (n / rate) * 1000, `request ${n} came ${(arrival.at - started).toFixed(1)} ms after the start`);
  assert.ok(result.latency.p50 > 0 && result.latency.p99 >= result.latency.p50);
});

test("each connection takes its own turn through the requests, with autocannon's setupRequest and onResponse hooks and its own context", async (t) => {
  let created = 0;
  const reads: string[] = [];
  const server = createServer((request, response) => {
    if (request.method === 'POST') response.end(JSON.stringify({ id: ++created }));
    else {
      reads.push(request.url!);
      response.end('{}');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const result = await drivePaced(url, {
    durationS: 0.5,
    headers: {},
    connections: 4,
    rate: 80,
    requests: [
      { method: 'POST', path: '/items', onResponse: (_status, body, context) => Object.assign(context, JSON.parse(body)) },
      { method: 'GET', setupRequest: (request, context) => ({ ...request, path: `/items/${(context as { id: number }).id}` }) },
    ],
  });

  assert.equal(result.requests.total, 40);
  assert.equal(created, 20);
  // Every connection reads the item it created itself, once.
  assert.deepEqual(reads.toSorted(), Array.from({ length: 20 }, (_, n) => `/items/${n + 1}`).toSorted());
});
