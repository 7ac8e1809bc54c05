import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, beforeEach, test } from 'node:test';
import { SpanKind, trace } from '@opentelemetry/api';
import { AlwaysOnSampler, ParentBasedSampler, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTestTelemetry } from '../support/testTelemetry.ts';

// Parent-based over always-on: every new trace is sampled, a caller's "not sampled" decision is followed.
const telemetry = await startTestTelemetry(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
const { startTestApp } = await import('../support/startTestApp.ts');
const { createLogger } = await import('../../app/src/logger.ts');
const app = await startTestApp();
after(async () => {
  await app.stop();
  await telemetry.handle.shutdown();
});
const { token } = await app.api.newUser('Tracy');
beforeEach(() => telemetry.spans.reset());

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

/** The spans of the one trace a request made, once its server span has ended. */
async function spansOfRequest(): Promise<ReadableSpan[]> {
  for (let attempt = 0; attempt < 50 && !telemetry.spans.getFinishedSpans().some(isServerSpan); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const spans = telemetry.spans.getFinishedSpans().filter((span) => span.instrumentationScope.name !== '@opentelemetry/instrumentation-undici');
  assert.equal(new Set(spans.map((span) => span.spanContext().traceId)).size, 1, 'one request, one trace');
  return spans;
}

function isServerSpan(span: ReadableSpan): boolean {
  return span.kind === SpanKind.SERVER;
}

function serverSpanOf(spans: ReadableSpan[]): ReadableSpan {
  const servers = spans.filter(isServerSpan);
  assert.equal(servers.length, 1);
  return servers[0]!;
}

test('a task list is one server span named by its route, with the PostgreSQL queries as children', async () => {
  const response = await app.api.get('/api/tasks?limit=5&status=todo', { token });
  assert.equal(response.status, 200);
  const spans = await spansOfRequest();
  const server = serverSpanOf(spans);
  assert.equal(server.name, 'GET /api/tasks');
  assert.deepEqual(server.attributes, { 'http.request.method': 'GET', 'http.route': '/api/tasks', 'http.response.status_code': 200 });
  const queries = spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');
  assert.ok(queries.length >= 2, 'the token lookup and the page query');
  for (const query of queries) {
    assert.equal(query.kind, SpanKind.CLIENT);
    assert.equal(query.parentSpanContext?.spanId, server.spanContext().spanId);
    assert.match(String(query.attributes['db.query.text']), /\$1/, 'parameters stay placeholders');
  }
});

test('a create is one server span with an INSERT child, under the caller\'s trace', async () => {
  const response = await app.api.post('/api/tasks', { title: 'traced' }, { token, headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } });
  assert.equal(response.status, 201);
  const spans = await spansOfRequest();
  const server = serverSpanOf(spans);
  assert.equal(server.name, 'POST /api/tasks');
  assert.equal(server.spanContext().traceId, TRACE_ID);
  assert.equal(server.parentSpanContext?.spanId, PARENT_ID);
  assert.equal(server.attributes['http.response.status_code'], 201);
  const insert = spans.find((span) => String(span.attributes['db.query.text']).startsWith('INSERT INTO tasks'));
  assert.ok(insert, 'an INSERT span');
  assert.equal(insert.parentSpanContext?.spanId, server.spanContext().spanId);
});

test('a caller\'s "not sampled" decision leaves no span of the request at all', async () => {
  const response = await app.api.get('/api/tasks', { token, headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-00` } });
  assert.equal(response.status, 200);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const spans = telemetry.spans.getFinishedSpans().filter((span) => span.spanContext().traceId === TRACE_ID);
  assert.deepEqual(spans.map((span) => span.name), []);
});

test('unmatched paths and errors keep raw paths, tokens and query strings out of span attributes', async () => {
  await app.api.get(`/users/42/secret?token=${token}`);
  const spans = await spansOfRequest();
  const server = serverSpanOf(spans);
  assert.equal(server.name, 'GET unmatched');
  const text = JSON.stringify(spans.map((span) => span.attributes));
  for (const bad of [token, '/users/42', '?token']) assert.ok(!text.includes(bad), `${bad} in ${text}`);
});

test('log lines written inside a span carry its trace_id and span_id', () => {
  const lines: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }));
  trace.getTracer('test').startActiveSpan('work', (span) => {
    logger.info('inside');
    span.end();
    const line = JSON.parse(lines[0]!);
    assert.equal(line.trace_id, span.spanContext().traceId);
    assert.equal(line.span_id, span.spanContext().spanId);
  });
});
