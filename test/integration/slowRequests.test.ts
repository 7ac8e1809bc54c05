import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { samplesOf, scrape } from '../support/prometheusText.ts';
import { startTestTelemetry } from '../support/testTelemetry.ts';

// Telemetry first, the app afterwards, so pg and ioredis load patched.
const telemetry = await startTestTelemetry();
const { startAppWithCatalog, userWithTags } = await import('../support/startAppWithCatalog.ts');
const { startTestApp, TEST_ADMIN_TOKEN } = await import('../support/startTestApp.ts');
const { createLogger } = await import('../../app/src/logger.ts');
const admin = { token: TEST_ADMIN_TOKEN };
const profileDir = await mkdtemp(join(tmpdir(), 'profiles-'));
/** The app's log lines, parsed. */
const logLines: Record<string, any>[] = [];
const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => (logLines.push(JSON.parse(String(chunk))), done()) }));
const env = await startAppWithCatalog({
  SLOW_REQUEST_MS: '250',
  EVENT_LOOP_STALL_MS: '60000',
  PROFILE_DIR: profileDir,
  PROFILE_CAPTURE_MS: '300',
  // No rate limit: an earlier request made slow by a busy machine must not use up the capture this test expects.
  PROFILE_CAPTURE_MIN_INTERVAL_MS: '0',
  CATALOG_TIMEOUT_MS: '3000',
}, {}, { logger });
after(async () => {
  await env.stop();
  await telemetry.handle.shutdown();
  await rm(profileDir, { recursive: true, force: true });
});

const until = async <T>(read: () => Promise<T | undefined>, what: string): Promise<T> => {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

test('a request made slow by the catalog is logged with its route, trace id, a breakdown where the catalog dominates, and a profile that its span and its log line name', async () => {
  const token = await userWithTags(env.app, ['jazz', 'rock']);
  env.catalog.control.set({ latencyMs: 700 });
  const slow = await env.app.api.get('/api/recommendations', { token });
  assert.equal(slow.status, 200);
  env.catalog.control.set({ latencyMs: 0 });
  await env.app.api.get('/api/tasks', { token });

  const entry = await until(async () => (await env.app.api.get('/api/metrics', admin)).body.slowRequests[0], 'the slow request');
  assert.equal(entry.method, 'GET');
  assert.equal(entry.route, '/api/recommendations');
  assert.equal(entry.statusCode, 200);
  assert.ok(entry.durationMs > 700, `${entry.durationMs} ms`);
  assert.match(entry.traceId, /^[0-9a-f]{32}$/);
  assert.equal(entry.traceSampled, true);
  const { postgres, redis, catalog, other } = entry.breakdownMs;
  assert.ok(catalog >= 700, `catalog ${catalog} ms`);
  // The largest part; not necessarily more than all others together, as a starved machine slows every query too.
  assert.ok(catalog > Math.max(postgres, redis, other), JSON.stringify(entry.breakdownMs));
  assert.ok(catalog <= entry.durationMs);
  assert.ok(!Number.isNaN(Date.parse(entry.timestamp)));

  // The profile started while the request was still running, and is downloadable once saved.
  assert.match(entry.profile, /^auto-[\w-]+-slow-request\.cpuprofile$/);
  const download = await until(async () => {
    const response = await env.app.api.get(`/api/profiling/profiles/${entry.profile}`, admin);
    return response.status === 200 ? response : undefined;
  }, 'the automatic profile');
  assert.ok(Array.isArray(download.body.nodes) && download.body.nodes.length > 0);

  // The request's span names the profile and the admin page's URL that opens it, and so does the slow request's log line.
  const span = telemetry.spans.getFinishedSpans().find((finished) => finished.spanContext().traceId === entry.traceId && finished.name === 'GET /api/recommendations');
  assert.ok(span, 'the server span of the slow request');
  const events = span.events.filter((event) => event.name === 'profile.captured');
  assert.deepEqual(events.map((event) => event.attributes), [{ 'profile.name': entry.profile, 'profile.url': `/admin/profiling?profile=${entry.profile}` }]);
  const logged = logLines.filter((line) => line.msg === 'slow request' && line.traceId === entry.traceId);
  assert.equal(logged.length, 1, JSON.stringify(logLines.filter((line) => line.msg === 'slow request')));
  assert.equal(logged[0]!.route, '/api/recommendations');
  assert.equal(logged[0]!.profile, entry.profile);
  assert.equal(logged[0]!.durationMs, entry.durationMs);

  // Only this route: on a busy machine another request (an admin call) may be slow too.
  const counted = samplesOf(await scrape(telemetry.metricsUrl), 'app_slow_requests_total', { http_route: '/api/recommendations' });
  assert.deepEqual(counted.map((sample) => sample.value), [1]);
});

test('time in PostgreSQL is part of the breakdown; without automatic capture there is no profile', async () => {
  const everySlow = await startTestApp({ SLOW_REQUEST_MS: '0', PROFILE_AUTO_CAPTURE: 'false', PROFILE_DIR: profileDir });
  try {
    const { token } = await everySlow.api.newUser('Counted');
    await everySlow.api.get('/api/tasks', { token });
    const { body } = await everySlow.api.get('/api/metrics', admin);
    const list = body.slowRequests.find((entry: { route: string }) => entry.route === '/api/tasks');
    assert.ok(list.breakdownMs.postgres > 0, JSON.stringify(list.breakdownMs));
    assert.ok(list.breakdownMs.postgres <= list.durationMs);
    assert.equal(list.breakdownMs.catalog, 0);
    assert.equal(list.profile, undefined);
  } finally {
    await everySlow.stop();
  }
});
