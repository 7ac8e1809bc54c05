import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { startTestTelemetry } from '../support/testTelemetry.ts';

// Telemetry first, the app afterwards, so pg and ioredis load patched.
const telemetry = await startTestTelemetry();
const { startTestApp, TEST_ADMIN_TOKEN } = await import('../support/startTestApp.ts');
const profileDir = await mkdtemp(join(tmpdir(), 'profiles-'));
// No automatic profiles here (a busy test machine can make a request slow): they would make live ones a 409.
const app = await startTestApp({
  PROFILE_DIR: profileDir,
  METRICS_HISTORY_INTERVAL_MS: '200',
  SLOW_REQUEST_MS: '60000',
  EVENT_LOOP_STALL_MS: '60000',
});
const admin = { token: TEST_ADMIN_TOKEN };
let userToken = '';

before(async () => {
  userToken = (await app.api.newUser('Profiled')).token;
  await app.api.post('/api/tasks', { title: 'measured' }, { token: userToken });
  await app.api.get('/api/tasks', { token: userToken });
});
after(async () => {
  await app.stop();
  await telemetry.handle.shutdown();
  await rm(profileDir, { recursive: true, force: true });
});

const ADMIN_ENDPOINTS = [
  ['GET', '/api/metrics'],
  ['POST', '/api/profiling/cpu?seconds=1'],
  ['POST', '/api/profiling/heap?seconds=1'],
  ['GET', '/api/profiling/profiles'],
  ['GET', '/api/profiling/profiles/live-x.cpuprofile'],
  ['GET', '/api/profiling/profiles/live-x.cpuprofile?format=pprof'],
  ['GET', '/api/profiling/history'],
  ['GET', '/api/profiling/config'],
] as const;

describe('admin endpoints need the admin token', () => {
  for (const [method, path] of ADMIN_ENDPOINTS) {
    test(`${method} ${path}: 401 without or with a bad token, 403 with a user's token`, async () => {
      const missing = await app.api.request(method, path);
      assert.equal(missing.status, 401);
      assert.equal(missing.body.code, 'UNAUTHORIZED');
      assert.equal((await app.api.request(method, path, { token: 'not-a-known-token' })).status, 401);
      const user = await app.api.request(method, path, { token: userToken });
      assert.equal(user.status, 403);
      assert.deepEqual(Object.keys(user.body).sort(), ['code', 'error', 'message', 'statusCode']);
    });
  }
});

test('a live profile lasts 1 to 60 seconds: anything else is a 400 naming the parameter', async () => {
  for (const query of ['', '?seconds=0', '?seconds=61', '?seconds=abc', '?seconds=1.5']) {
    for (const kind of ['cpu', 'heap']) {
      const { status, body } = await app.api.request('POST', `/api/profiling/${kind}${query}`, admin);
      assert.equal(status, 400, `${kind}${query}`);
      assert.equal(body.code, 'VALIDATION_FAILED');
      assert.deepEqual(body.details[0].path, ['query', 'seconds']);
    }
  }
});

test('a live CPU profile downloads as a .cpuprofile with nodes and samples', async () => {
  const { status, headers, body } = await app.api.request('POST', '/api/profiling/cpu?seconds=1', admin);
  assert.equal(status, 200);
  assert.match(headers.get('content-disposition') ?? '', /^attachment; filename="?live-[\w-]+\.cpuprofile"?$/);
  assert.ok(Array.isArray(body.nodes) && body.nodes.length > 0);
  assert.ok(Array.isArray(body.samples));
  assert.ok(body.endTime > body.startTime);
});

test('a live heap profile downloads as a .heapprofile with its allocation tree', async () => {
  const { status, headers, body } = await app.api.request('POST', '/api/profiling/heap?seconds=1', admin);
  assert.equal(status, 200);
  assert.match(headers.get('content-disposition') ?? '', /^attachment; filename="?live-[\w-]+\.heapprofile"?$/);
  assert.equal(body.head.callFrame.functionName, '(root)');
  assert.ok(Array.isArray(body.head.children));
});

test('one CPU profile at a time: a second request while one runs is a 409', async () => {
  const first = app.api.request('POST', '/api/profiling/cpu?seconds=2', admin);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const second = await app.api.request('POST', '/api/profiling/cpu?seconds=1', admin);
  assert.equal(second.status, 409);
  assert.equal(second.body.code, 'profiler_busy');
  // A heap profile is another profiler: it may run meanwhile.
  assert.equal((await app.api.request('POST', '/api/profiling/heap?seconds=1', admin)).status, 200);
  assert.equal((await first).status, 200);
});

test('a client that goes away cancels its live profile: the profiler is free again at once, not after 30 s', async (t) => {
  const client = new AbortController();
  const started = performance.now();
  const abandoned = fetch(`${app.service.url}/api/profiling/cpu?seconds=30`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    signal: client.signal,
  });
  // Running: a second CPU profile is refused meanwhile.
  let busy = 0;
  while ((await app.api.request('POST', '/api/profiling/cpu?seconds=1', admin)).status !== 409) {
    busy++;
    assert.ok(busy < 50, 'the 30 s profile never started');
  }
  client.abort();
  await assert.rejects(abandoned, { name: 'AbortError' });
  let refused = 0;
  let next = await app.api.request('POST', '/api/profiling/cpu?seconds=1', admin);
  while (next.status === 409 && refused < 20) {
    refused++;
    await new Promise((resolve) => setTimeout(resolve, 100));
    next = await app.api.request('POST', '/api/profiling/cpu?seconds=1', admin);
  }
  const freeAfterMs = performance.now() - started;
  t.diagnostic(`next profile answered ${next.status} after ${refused} refusals, ${freeAfterMs.toFixed(0)} ms after the 30 s profile was asked for`);
  assert.equal(next.status, 200, `${refused} refusals after the client went away`);
  assert.ok(freeAfterMs < 15_000, `${freeAfterMs.toFixed(0)} ms`);
});

test('a profile downloads as pprof (gzip-compressed protobuf) with the samples and functions of its .cpuprofile', async () => {
  const { body } = await app.api.get('/api/profiling/profiles', admin);
  const cpu = body.items.find((item: { kind: string }) => item.kind === 'cpu');
  const json = (await app.api.get(`/api/profiling/profiles/${cpu.name}`, admin)).body;
  const response = await fetch(`${app.service.url}/api/profiling/profiles/${cpu.name}?format=pprof`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-disposition') ?? '', new RegExp(`^attachment; filename="?${cpu.name.replaceAll('.', '\\.')}\\.pb\\.gz"?$`));
  const decoded = Profile.decode(gunzipSync(Buffer.from(await response.arrayBuffer())));
  const strings = decoded.stringTable.strings;
  assert.equal(decoded.sample.reduce((sum, sample) => sum + Number(sample.value[0]), 0), json.samples.length);
  const names = new Set(decoded.function.map((fn) => strings[Number(fn.name)]));
  for (const node of json.nodes) if (node.callFrame.functionName !== '(root)') assert.ok(names.has(node.callFrame.functionName || '(anonymous)'), node.callFrame.functionName);

  const heap = body.items.find((item: { kind: string }) => item.kind === 'heap');
  const heapPprof = await fetch(`${app.service.url}/api/profiling/profiles/${heap.name}?format=pprof`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
  assert.equal(heapPprof.status, 200);
  const heapDecoded = Profile.decode(gunzipSync(Buffer.from(await heapPprof.arrayBuffer())));
  assert.deepEqual(heapDecoded.sampleType.map((type) => heapDecoded.stringTable.strings[Number(type.type)]), ['space']);

  const unknown = await app.api.get(`/api/profiling/profiles/${cpu.name}?format=svg`, admin);
  assert.equal(unknown.status, 400);
  assert.deepEqual(unknown.body.details[0].path, ['query', 'format']);
});

test('GET /api/profiling/config: the Grafana URL the page links traces to, and the slow request threshold', async () => {
  const { status, body } = await app.api.get('/api/profiling/config', admin);
  assert.equal(status, 200);
  assert.deepEqual(body, { grafanaUrl: 'http://localhost:3000', slowRequestMs: 60000 });
});

test('captured profiles are listed newest first and download by name; unknown or unsafe names are refused', async () => {
  const { body } = await app.api.get('/api/profiling/profiles', admin);
  assert.ok(body.items.length >= 3);
  assert.ok(body.items.every((item: { kind: string }) => item.kind === 'cpu' || item.kind === 'heap'));
  const cpu = body.items.find((item: { kind: string }) => item.kind === 'cpu');
  const download = await app.api.get(`/api/profiling/profiles/${cpu.name}`, admin);
  assert.equal(download.status, 200);
  assert.match(download.headers.get('content-disposition') ?? '', /attachment/);
  assert.ok(Array.isArray(download.body.nodes));

  assert.equal((await app.api.get('/api/profiling/profiles/live-unknown.cpuprofile', admin)).status, 404);
  for (const unsafe of ['..%2F..%2Fetc%2Fpasswd', '.hidden.cpuprofile', 'notes.txt', '%2Fetc%2Fpasswd']) {
    const { status, body: error } = await app.api.get(`/api/profiling/profiles/${unsafe}`, admin);
    assert.equal(status, 400, unsafe);
    assert.equal(error.code, 'VALIDATION_FAILED');
  }
  assert.equal((await app.api.get('/api/profiling/profiles/..', admin)).status, 404);
});

test('GET /api/metrics: request durations per endpoint, resources and slow requests, from the OpenTelemetry snapshot', async () => {
  const { status, body } = await app.api.get('/api/metrics', admin);
  assert.equal(status, 200);
  assert.equal(body.telemetry, true);
  const list = body.requests.find((row: { endpoint: string }) => row.endpoint === 'GET /api/tasks');
  assert.equal(list.count, 1);
  assert.ok(list.p50Ms > 0 && list.p50Ms <= list.p95Ms && list.p95Ms <= list.p99Ms);
  assert.ok(body.resources.rssBytes > 10_000_000);
  assert.ok(body.resources.heapUsedBytes > 1_000_000);
  assert.ok(body.resources.cpuSeconds > 0);
  assert.ok(body.resources.eventLoopDelayP99Ms >= 0);
  assert.deepEqual(body.slowRequests, []);
});

test('the history has samples every interval with CPU, memory, event loop and per-endpoint latency', async () => {
  let items: any[] = [];
  for (let attempt = 0; attempt < 50 && items.length < 3; attempt++) {
    await app.api.get('/api/tasks', { token: userToken });
    await new Promise((resolve) => setTimeout(resolve, 100));
    items = (await app.api.get('/api/profiling/history', admin)).body.items;
  }
  assert.ok(items.length >= 3, `${items.length} samples`);
  const last = items.at(-1);
  assert.ok(last.time > Date.now() - 60_000);
  assert.ok(last.rssBytes > 0 && last.heapUsedBytes > 0 && last.cpuUtilization >= 0);
  assert.ok(items.some((item) => item.latency['GET /api/tasks']?.count > 0));
});

test('a profile directory that cannot be written still gives the download, and an empty listing', async () => {
  const notADirectory = join(profileDir, 'a-file');
  await writeFile(notADirectory, '');
  const broken = await startTestApp({ PROFILE_DIR: notADirectory, SLOW_REQUEST_MS: '60000', EVENT_LOOP_STALL_MS: '60000' });
  try {
    const { status, body } = await broken.api.request('POST', '/api/profiling/cpu?seconds=1', admin);
    assert.equal(status, 200);
    assert.ok(Array.isArray(body.nodes));
    assert.deepEqual((await broken.api.get('/api/profiling/profiles', admin)).body, { items: [] });
  } finally {
    await broken.stop();
  }
});
