import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXIT_HOOKS_TIMEOUT_MS } from '../../app/src/processExit.ts';
import { ApiClient } from '../support/apiClient.ts';
import { startOtlpReceiver } from '../support/otlpReceiver.ts';
import { spawnApp } from '../support/spawnApp.ts';
import { startTestApp, TEST_ADMIN_TOKEN } from '../support/startTestApp.ts';

test('stop() lets an in-flight request finish, then refuses new connections', async () => {
  const app = await startTestApp();
  const { token } = await app.api.newUser('Slowpoke');
  const body = JSON.stringify({ title: 'sent slowly' });
  // Headers now, body later: the request is in flight when the shutdown starts.
  const inFlight = request(`${app.service.url}/api/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  inFlight.flushHeaders();
  inFlight.write(body.slice(0, 5));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const stopped = app.service.stop();
  inFlight.end(body.slice(5));
  const [response] = (await once(inFlight, 'response')) as [import('node:http').IncomingMessage];
  assert.equal(response.statusCode, 201);
  response.resume();
  await stopped;
  await assert.rejects(fetch(`${app.service.url}/healthz`));
  await app.database.drop();
});

test('the process exits 0 soon after SIGTERM', async () => {
  const app = await spawnApp();
  const started = Date.now();
  assert.equal(await app.stopWith('SIGTERM'), 0);
  assert.ok(Date.now() - started < 5_000, `exited after ${Date.now() - started} ms`);
  assert.ok(app.stdoutLines.some((line) => line.includes('"signal":"SIGTERM"')));
});

test('SIGTERM during a 30 s live CPU profile: the profile answers 503, the process exits 0 within SHUTDOWN_TIMEOUT_MS plus the flush margin, and the spans reach the collector', async (t) => {
  const SHUTDOWN_TIMEOUT_MS = 3000;
  const collector = await startOtlpReceiver();
  const profileDir = await mkdtemp(join(tmpdir(), 'profiles-'));
  t.after(async () => {
    await collector.stop();
    await rm(profileDir, { recursive: true, force: true });
  });
  // The batch schedule is far away: only the shutdown flush can send these spans.
  const app = await spawnApp({
    imports: ['./app/src/telemetry/register.ts'],
    env: {
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      PROFILE_DIR: profileDir,
      PROFILE_AUTO_CAPTURE: 'false',
    },
  });
  t.after(() => app.stopWith('SIGKILL'));
  const api = new ApiClient(app.url);
  const admin = { token: TEST_ADMIN_TOKEN };
  const { token } = await api.newUser('Early');
  for (let n = 0; n < 3; n++) assert.equal((await api.get('/api/tasks', { token })).status, 200);

  const live = api.request('POST', '/api/profiling/cpu?seconds=30', admin);
  let probes = 0;
  while ((await api.request('POST', '/api/profiling/cpu?seconds=1', admin)).status !== 409) {
    probes++;
    assert.ok(probes < 50, 'the 30 s profile never started');
  }
  assert.equal(collector.received.length, 0, 'nothing exported before the signal');

  const exited = once(app.child, 'exit');
  const signalled = performance.now();
  app.child.kill('SIGTERM');
  const answer = await live;
  const answeredMs = performance.now() - signalled;
  const [code] = (await exited) as [number | null];
  const exitMs = performance.now() - signalled;
  const spans = Buffer.concat(collector.received.filter((sent) => sent.path === '/v1/traces').map((sent) => sent.body));
  t.diagnostic(`live profile answered ${answer.status} after ${answeredMs.toFixed(0)} ms; exit ${code} after ${exitMs.toFixed(0)} ms; ${spans.length} bytes of spans received`);

  assert.equal(answer.status, 503, JSON.stringify(answer.body));
  assert.equal(answer.body.code, 'SHUTTING_DOWN');
  assert.equal(code, 0, app.stderrLines.join('\n'));
  // A second of slack for process start-up of the exit path on a loaded machine; the 30 s profile would be far over.
  const limitMs = SHUTDOWN_TIMEOUT_MS + EXIT_HOOKS_TIMEOUT_MS + 1000;
  assert.ok(exitMs < limitMs, `exited ${exitMs.toFixed(0)} ms after SIGTERM, limit ${limitMs} ms`);
  assert.ok(spans.includes('GET /api/tasks'), 'the spans of the requests before the signal were flushed');
  assert.ok(spans.includes('POST /api/profiling/cpu'), 'the span of the live profile, ended during the shutdown, too');
  assert.ok(app.stdoutLines.some((line) => line.includes('"msg":"exiting"') && line.includes('"code":0')), app.stdoutLines.slice(-5).join('\n'));
  assert.equal(await app.stopWith('SIGTERM'), 0);
});
