import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { startCatalog } from '../../catalog/src/startCatalog.ts';
import { ApiClient } from '../support/apiClient.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlpReceiver.ts';
import { spawnApp } from '../support/spawnApp.ts';

/**
 * The app's log lines reach the collector by OTLP, as Loki's OTLP ingestion receives them: the app in its own
 * process as `npm start` runs it, OTLP in http/json so the test can read it, every trace sampled unless the caller
 * says otherwise.
 */
const TELEMETRY = ['./app/src/telemetry/register.ts'];
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type KeyValue = { key: string; value: AnyValue };
interface LogRecord {
  severityNumber?: number;
  severityText?: string;
  body?: AnyValue;
  attributes?: KeyValue[];
  traceId?: string;
  spanId?: string;
}

const valueOf = (value: AnyValue | undefined): unknown => value?.stringValue ?? value?.intValue ?? value?.boolValue ?? value?.doubleValue;
const attributesOf = (list: KeyValue[] | undefined): Record<string, unknown> => Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));

function exported(receiver: OtlpReceiver, path: string): unknown[] {
  return receiver.received.filter((request) => request.path === path).map((request) => JSON.parse(request.body.toString('utf8')));
}

function logRecords(receiver: OtlpReceiver): { resource: Record<string, unknown>; record: LogRecord }[] {
  return exported(receiver, '/v1/logs').flatMap((body) =>
    (body as { resourceLogs: { resource: { attributes: KeyValue[] }; scopeLogs: { logRecords: LogRecord[] }[] }[] }).resourceLogs.flatMap((resourceLogs) =>
      resourceLogs.scopeLogs.flatMap((scope) => scope.logRecords.map((record) => ({ resource: attributesOf(resourceLogs.resource.attributes), record }))),
    ),
  );
}

function serverSpans(receiver: OtlpReceiver): { traceId: string; spanId: string; name: string }[] {
  return exported(receiver, '/v1/traces').flatMap((body) =>
    (body as { resourceSpans: { scopeSpans: { spans: { traceId: string; spanId: string; name: string; kind: number }[] }[] }[] }).resourceSpans.flatMap((resource) =>
      resource.scopeSpans.flatMap((scope) => scope.spans.filter((span) => span.kind === 2)),
    ),
  );
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 15_000; !condition(); await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

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

  const requestLines = () => logRecords(receiver).filter(({ record }) => valueOf(record.body) === 'request');
  await until(() => requestLines().length >= 8 && serverSpans(receiver).length >= 7, 'the log records and spans of 8 requests');

  const spans = serverSpans(receiver);
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
  const metricsUrl = app.stderrLines.map((text) => /"metricsUrl":"([^"]+)"/.exec(text)?.[1]).find((url) => url !== undefined);
  const metrics = await (await fetch(metricsUrl!)).text();
  const aborted = metrics.split('\n').find((text) => text.startsWith('http_server_request_duration_seconds_count{') && text.includes('http_route="/api/recommendations"'));
  assert.ok(aborted?.includes('error_type="aborted"'), aborted);
  assert.ok(!aborted?.includes('http_response_status_code'), aborted);
});
