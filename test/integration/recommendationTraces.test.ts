import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, beforeEach, test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTestTelemetry } from '../support/testTelemetry.ts';

// Every trace sampled; telemetry before the app, so pg and ioredis load patched.
const telemetry = await startTestTelemetry();
const { startAppWithCatalog, userWithTags } = await import('../support/startAppWithCatalog.ts');
const env = await startAppWithCatalog();
const token = await userWithTags(env.app, ['jazz', 'rock']);

/** The `traceparent` and `baggage` headers of every request the catalog stand-in received, read from Node's own server channel. */
const catalogTraceparents: (string | undefined)[] = [];
const catalogBaggage: (string | undefined)[] = [];
const onServerRequest = (message: unknown): void => {
  const { request, server } = message as { request: IncomingMessage; server: Server };
  if ((server.address() as AddressInfo).port !== env.catalog.port) return;
  catalogTraceparents.push(request.headers.traceparent as string | undefined);
  catalogBaggage.push(request.headers.baggage as string | undefined);
};
subscribe('http.server.request.start', onServerRequest);
after(async () => {
  unsubscribe('http.server.request.start', onServerRequest);
  await env.stop();
  await telemetry.handle.shutdown();
});
beforeEach(() => {
  telemetry.spans.reset();
  catalogTraceparents.length = 0;
  catalogBaggage.length = 0;
});

/** The spans of one recommendations request, once its server span has ended. */
async function recommendationSpans(headers: Record<string, string> = {}): Promise<{ server: ReadableSpan; children: ReadableSpan[] }> {
  const response = await env.app.api.get('/api/recommendations', { token, headers });
  assert.equal(response.status, 200);
  for (let attempt = 0; attempt < 50 && !telemetry.spans.getFinishedSpans().some((span) => span.kind === SpanKind.SERVER); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const spans = telemetry.spans.getFinishedSpans();
  const servers = spans.filter((span) => span.kind === SpanKind.SERVER);
  assert.equal(servers.length, 1, 'one server span');
  const server = servers[0]!;
  assert.equal(server.name, 'GET /api/recommendations');
  assert.equal(server.parentSpanContext, undefined, 'a new trace');
  assert.deepEqual(server.attributes, { 'http.request.method': 'GET', 'http.route': '/api/recommendations', 'http.response.status_code': 200 });
  const children = spans.filter((span) => span !== server);
  for (const child of children) {
    assert.equal(child.kind, SpanKind.CLIENT, child.name);
    assert.equal(child.spanContext().traceId, server.spanContext().traceId, `${child.name} in the request's trace`);
    assert.equal(child.parentSpanContext?.spanId, server.spanContext().spanId, `${child.name} is a child of the server span`);
  }
  return { server, children };
}

const system = (name: string) => (span: ReadableSpan) => span.attributes['db.system.name'] === name;
const isCatalogCall = (span: ReadableSpan) => span.attributes['server.port'] === env.catalog.port;

test('a cache miss: server span → PostgreSQL, Redis and catalog fetch children, trace context sent to the catalog, the caller\'s baggage not', async () => {
  // Baggage is caller-controlled data (user ids, tenant names…): it stops at our edge and never reaches a third party.
  const { server, children } = await recommendationSpans({ baggage: 'user.id=42,tenant=acme' });
  const queries = children.filter(system('postgresql')).map((span) => span.attributes['db.postgresql.plan']);
  assert.deepEqual(queries, ['user-by-token', 'tasks-top-tags']);

  const redis = children.filter(system('redis'));
  assert.deepEqual(redis.filter((span) => span.name === 'mget').length, 2, 'one MGET for the tags, one for the items');
  assert.ok(redis.some((span) => span.name === 'set'), 'fetched data is written back');
  for (const span of redis) assert.equal(span.attributes['db.query.text'], span.name, 'only the command name, never keys or values');

  const fetches = children.filter(isCatalogCall);
  const paths = fetches.map((span) => span.attributes['url.path']);
  assert.equal(paths.filter((path) => path === '/v1/top').length, 2, 'one top call per tag');
  assert.ok(paths.includes('/v1/items'), 'item details');
  assert.equal(paths.length, paths.filter((path) => path === '/v1/top' || path === '/v1/items').length);
  for (const span of fetches) {
    assert.equal(span.attributes['http.response.status_code'], 200);
    assert.equal(span.attributes['server.address'], '127.0.0.1');
    assert.ok(!String(span.attributes['url.full']).includes('?'), `no query string in ${span.attributes['url.full']}`);
  }
  assert.equal(children.length, queries.length + redis.length + fetches.length, 'no other spans');

  const traceId = server.spanContext().traceId;
  assert.deepEqual(
    catalogTraceparents.toSorted(),
    fetches.map((span) => `00-${traceId}-${span.spanContext().spanId}-01`).toSorted(),
    'each catalog call carries its own client span as parent',
  );
  assert.ok(catalogBaggage.length > 0);
  assert.deepEqual(catalogBaggage.filter((header) => header !== undefined), [], 'no baggage header reached the catalog');
});

test('a cache hit: server span → PostgreSQL and two Redis MGETs, no catalog call', async () => {
  const { children } = await recommendationSpans();
  assert.deepEqual(children.filter(system('postgresql')).map((span) => span.attributes['db.postgresql.plan']), ['user-by-token', 'tasks-top-tags']);
  assert.deepEqual(children.filter(system('redis')).map((span) => span.name), ['mget', 'mget']);
  assert.equal(children.length, 4, children.map((span) => span.name).join(', '));
  assert.deepEqual(catalogTraceparents, []);
});
