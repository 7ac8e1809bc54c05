import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiClient } from '../support/apiClient.ts';
import { attributesOf, exportedLogRecords, exportedSpans, until, valueOf } from '../support/otlpJson.ts';
import { startOtlpReceiver } from '../support/otlpReceiver.ts';
import { spawnApp } from '../support/spawnApp.ts';

/**
 * The app's log lines reach the collector by OTLP, as Loki's OTLP ingestion receives them: the app in its own
 * process as `npm start` runs it, OTLP in http/json so the test can read it, every trace sampled unless the caller
 * says otherwise.
 */
const TELEMETRY = ['./app/src/telemetry/register.ts'];
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

test('every request log line reaches the OTLP receiver with its severity, attributes, resource and the trace ids of its request', async (t) => {
  const receiver = await startOtlpReceiver();
  t.after(() => receiver.stop());
  const app = await spawnApp({
    imports: TELEMETRY,
    env: {
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
    },
  });
  t.after(() => app.stopWith('SIGKILL'));
  const api = new ApiClient(app.url);
  const email = 'logged.person@example.com';
  const { token } = (await api.post('/api/users', { name: 'Logged', email })).body as { token: string };
  for (let n = 0; n < 5; n++) assert.equal((await api.get('/api/tasks?limit=5', { token })).status, 200);
  assert.equal((await api.get('/api/tasks/999999', { token })).status, 404);
  // The caller decided "not sampled": no spans, but the log line still carries the caller's trace id.
  assert.equal((await api.get('/api/tasks', { token, headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-00` } })).status, 200);

  const requestLines = () => exportedLogRecords(receiver).filter(({ record }) => valueOf(record.body) === 'request');
  await until(() => requestLines().length >= 8 && exportedSpans(receiver).filter((span) => span.kind === 2).length >= 7, 'the log records and spans of 8 requests');

  const spans = exportedSpans(receiver).filter((span) => span.kind === 2);
  const lists = requestLines().filter(({ record }) => attributesOf(record.attributes).route === '/api/tasks');
  assert.ok(lists.length >= 6, `${lists.length} task-list lines`);
  for (const { resource, record } of requestLines()) {
    assert.equal(resource['service.name'], 'app');
    assert.equal(resource['service.namespace'], 'observable-node-stack');
    assert.match(String(record.traceId), /^[0-9a-f]{32}$/, 'the trace id of the request it was written in');
    assert.match(String(record.spanId), /^[0-9a-f]{16}$/);
    const attributes = attributesOf(record.attributes);
    assert.equal(typeof attributes.method, 'string');
    assert.equal(typeof attributes.durationMs, 'number');
    if (record.traceId === TRACE_ID) continue;
    const span = spans.find((candidate) => candidate.traceId === record.traceId);
    assert.ok(span, `the trace ${record.traceId} was exported`);
    assert.equal(record.spanId, span.spanId, 'the server span of that request');
    assert.equal(span.name, `${String(attributes.method)} ${String(attributes.route)}`);
  }
  const notFound = requestLines().find(({ record }) => attributesOf(record.attributes).statusCode === 404);
  assert.equal(notFound?.record.severityText, 'info');
  assert.equal(notFound?.record.severityNumber, 9, 'INFO in the OpenTelemetry severity numbers');
  assert.ok(requestLines().some(({ record }) => record.traceId === TRACE_ID), 'the unsampled request is logged under its caller\'s trace id');

  const everything = receiver.received.filter((request) => request.path === '/v1/logs').map((request) => request.body.toString('utf8')).join('');
  for (const secret of [email, token]) assert.ok(!everything.includes(secret), `${secret} must not be exported`);
});
