import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiClient } from '../support/apiClient.ts';
import { startOtlpReceiver } from '../support/otlpReceiver.ts';
import { spawnApp } from '../support/spawnApp.ts';
import { TEST_ADMIN_TOKEN } from '../support/startTestApp.ts';

/**
 * The build `npm start` runs: the bundled telemetry entry (dist/telemetry/, app/build/bundleTelemetry.ts) before
 * dist/app/src/main.js. The other telemetry tests run the sources; this one checks that bundling lost nothing: the
 * hooks still patch the app's own pg and ioredis, the modules the app shares with telemetry exist once (the log
 * sink of logLines.js among them: the request lines reach the collector), and
 * only the packages the app itself imports are loaded from node_modules.
 */
const BUNDLED_TELEMETRY = './dist/telemetry/register.js';
const SHARED_WITH_THE_APP = ['@opentelemetry/api', '@opentelemetry/semantic-conventions'];

test('the bundled telemetry entry: route metrics, pg and Redis metrics, trace ids in logs, the shared snapshot, spans and logs flushed at SIGTERM', async (t) => {
  const collector = await startOtlpReceiver();
  t.after(() => collector.stop());
  const app = await spawnApp({
    main: 'dist/app/src/main.js',
    imports: ['./test/support/logOtelImports.ts', BUNDLED_TELEMETRY],
    // Both schedule delays are far away: only the shutdown flush can send these spans and log records.
    env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_BLRP_SCHEDULE_DELAY: '600000', OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint },
  });
  t.after(() => app.stopWith('SIGKILL'));
  const api = new ApiClient(app.url);
  const { token } = await api.newUser('Bundled');
  assert.equal((await api.post('/api/tasks', { title: 'bundled' }, { token })).status, 201);
  assert.equal((await api.get('/api/tasks?limit=5', { token })).status, 200);
  // Looks in the Redis cache first (MGET), whether or not the catalog then answers.
  await api.get('/api/recommendations', { token });

  const metrics = await (await fetch(app.metricsUrl())).text();
  assert.match(metrics, /^http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/api\/tasks",http_response_status_code="200"/m);
  assert.match(metrics, /^db_client_operation_duration_seconds_count\{db_system_name="postgresql",db_operation_name="SELECT"/m);
  assert.match(metrics, /^db_client_operation_duration_seconds_count\{db_system_name="redis"/m);

  const requestLine = app.stdoutLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.route === '/api/tasks');
  assert.match(String(requestLine?.trace_id), /^[0-9a-f]{32}$/, 'the request line carries its trace id');

  // /api/metrics reads the app's own metricsSnapshot.js: a second copy inside the bundle would have no reader.
  const { status, body } = await api.get('/api/metrics', { token: TEST_ADMIN_TOKEN });
  assert.equal(status, 200);
  assert.equal(body.telemetry, true);
  assert.ok(body.requests.some((row: { endpoint: string }) => row.endpoint === 'GET /api/tasks'), JSON.stringify(body.requests));

  const loaded = new Set(app.stderrLines.flatMap((line) => /^otel-import (\S+)$/.exec(line)?.[1] ?? []));
  assert.deepEqual([...loaded].sort(), SHARED_WITH_THE_APP, 'everything else comes from the bundle');

  assert.equal(await app.stopWith('SIGTERM'), 0, app.stderrLines.join('\n'));
  const sent = (path: string) => Buffer.concat(collector.received.filter((request) => request.path === path).map((request) => request.body));
  assert.ok(sent('/v1/traces').includes('GET /api/tasks'), 'the task-list server span');
  assert.ok(sent('/v1/traces').includes('pg.query:'), 'the pg query spans');
  assert.ok(sent('/v1/traces').includes('mget'), 'the Redis command spans: ioredis patched without any module hook');
  assert.ok(sent('/v1/logs').includes('request'), 'the request log records');
});
