import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { startCatalog } from '../../catalog/src/startCatalog.ts';
import { ApiClient } from '../support/apiClient.ts';
import { exportedSpans, until } from '../support/otlpJson.ts';
import { startOtlpReceiver } from '../support/otlpReceiver.ts';
import { spawnApp } from '../support/spawnApp.ts';

/** The HTTP telemetry of odd requests, in an app started as `npm start` does. */
const TELEMETRY = ['./app/src/telemetry/register.ts'];
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

test('a request whose client goes away is logged as aborted and is not counted as a 200', async (t) => {
  const receiver = await startOtlpReceiver();
  t.after(() => receiver.stop());
  // A catalog slower than the client's patience: the request is still waiting when the client hangs up.
  const catalog = await startCatalog({ knobs: { latencyMs: 3_000 } });
  t.after(() => catalog.stop());
  const app = await spawnApp({
    imports: TELEMETRY,
    env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BLRP_SCHEDULE_DELAY: '100', CATALOG_URL: catalog.url },
  });
  t.after(() => app.stopWith('SIGKILL'));
  const api = new ApiClient(app.url);
  const { token } = (await api.post('/api/users', { name: 'Impatient', email: 'impatient@example.com' })).body as { token: string };
  await api.post('/api/tasks', { title: 'jazz', tags: ['jazz'] }, { token });
  await new Promise<void>((resolve) => {
    const url = new URL('/api/recommendations', app.url);
    const request = httpRequest(url, { headers: { authorization: `Bearer ${token}` } });
    request.on('error', () => resolve());
    request.end();
    setTimeout(() => {
      request.destroy();
      resolve();
    }, 300);
  });
  await until(() => app.stdoutLines.some((line) => line.includes('"aborted":true')), 'the aborted request log line');
  const line = JSON.parse(app.stdoutLines.find((text) => text.includes('"aborted":true'))!);
  assert.equal(line.route, '/api/recommendations');
  assert.equal(line.statusCode, undefined, 'no status was answered');
  const metrics = await (await fetch(app.metricsUrl())).text();
  const aborted = metrics.split('\n').find((text) => text.startsWith('http_server_request_duration_seconds_count{') && text.includes('http_route="/api/recommendations"'));
  assert.ok(aborted?.includes('error_type="aborted"'), aborted);
  assert.ok(!aborted?.includes('http_response_status_code'), aborted);
});

test('INCOMING_TRACE_CONTEXT=link: a caller\'s traceparent starts a new root trace that links to it', async (t) => {
  const receiver = await startOtlpReceiver();
  t.after(() => receiver.stop());
  const app = await spawnApp({
    imports: TELEMETRY,
    env: {
      INCOMING_TRACE_CONTEXT: 'link',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
  });
  t.after(() => app.stopWith('SIGKILL'));
  // The caller says "not sampled": in link mode our own sampler decides, and the trace is ours.
  assert.equal((await new ApiClient(app.url).get('/healthz', { headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-00` } })).status, 200);
  const healthSpans = () => exportedSpans(receiver).filter((span) => span.name === 'GET /healthz');
  await until(() => healthSpans().length === 1, 'the health check span');
  const [span] = healthSpans();
  assert.notEqual(span!.traceId, TRACE_ID, 'a trace id of our own');
  assert.ok(!span!.parentSpanId, 'a root span');
  assert.deepEqual(span!.links?.map((link) => [link.traceId, link.spanId]), [[TRACE_ID, '00f067aa0ba902b7']]);
});
