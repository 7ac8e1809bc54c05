import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseQuery } from 'node:querystring';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { startAppWithCatalog, type AppWithCatalog } from '../support/startAppWithCatalog.ts';
import { rawRequest, type RawRequest } from '../support/rawRequest.ts';
import { TEST_ADMIN_TOKEN } from '../support/startTestApp.ts';
import { junkText, junkUrlComponent, junkObjectFor, percentEncode, rawJunkBodyFor } from './junk.ts';

const TASK_FIELDS = ['title', 'description', 'status', 'tags', 'dueAt'];

/**
 * Every route of the README's table: its methods, the query parameters and body fields it reads, values of its path
 * parameters that name something, and a body it accepts (junk fields are merged into it, so they get past the others).
 */
interface RouteUnderTest {
  path: string;
  methods: string[];
  /** The token the route wants. */
  as: 'user' | 'admin' | 'anyone';
  query?: string[];
  fields?: string[];
  valid?: Record<string, string[]>;
  validBody?: Record<string, unknown>;
}
const ROUTES: RouteUnderTest[] = [
  { path: '/api/users', as: 'anyone', methods: ['POST'], fields: ['name', 'email'], validBody: { name: 'Fuzz', email: 'fuzz@example.com' } },
  { path: '/api/tasks', as: 'user', methods: ['GET', 'POST'], query: ['limit', 'cursor', 'status', 'tag'], fields: TASK_FIELDS, validBody: { title: 'fuzz', description: '', status: 'todo', tags: ['jazz'], dueAt: null } },
  { path: '/api/tasks/:id', as: 'user', methods: ['GET', 'PATCH', 'DELETE'], fields: TASK_FIELDS, validBody: { title: 'fuzz', description: '', status: 'doing', tags: ['jazz'], dueAt: null } },
  { path: '/api/recommendations', as: 'user', methods: ['GET'], query: ['limit'] },
  { path: '/healthz', as: 'anyone', methods: ['GET'] },
  { path: '/readyz', as: 'anyone', methods: ['GET'] },
  { path: '/api/metrics', as: 'admin', methods: ['GET'] },
  { path: '/api/profiling/cpu', as: 'admin', methods: ['POST'], query: ['seconds'] },
  { path: '/api/profiling/heap', as: 'admin', methods: ['POST'], query: ['seconds'] },
  { path: '/api/profiling/profiles', as: 'admin', methods: ['GET'] },
  { path: '/api/profiling/profiles/:name', as: 'admin', methods: ['GET'], valid: { name: ['live-20260101-000000.cpuprofile', 'x.heapprofile', '..%2Fx.cpuprofile'] } },
  { path: '/api/profiling/history', as: 'admin', methods: ['GET'] },
  { path: '/admin/profiling', as: 'anyone', methods: ['GET'] },
  { path: '/admin/profiling/:file', as: 'anyone', methods: ['GET'], valid: { file: ['index.html', 'api.js', 'profiling.css', '..%2F..%2Fpackage.json'] } },
  { path: '/admin/profiling/vendor/:file', as: 'anyone', methods: ['GET'], valid: { file: ['uPlot.min.css', 'd3.min.js', '..%2Fd3.min.js'] } },
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Generated requests per route: 15 routes × 100 keep the file well under 30 s on a loaded machine. */
const RUNS_PER_ROUTE = 100;

/** A live profile lasts `seconds`: requests that would start one are left out, the suite has other tests for them. */
function startsAProfile(path: string, query: string): boolean {
  if (!/^\/api\/profiling\/(cpu|heap)$/.test(path)) return false;
  const seconds = Number(parseQuery(query).seconds);
  return Number.isInteger(seconds) && seconds >= 1 && seconds <= 60;
}

const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 });
const COMPRESS: Record<string, (body: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

/** Mostly what gets past routing and auth (the route's own methods, real tokens, JSON), so junk reaches validation. */
const mostly = <T,>(usual: fc.Arbitrary<T>, junk: fc.Arbitrary<T>) => fc.oneof({ arbitrary: usual, weight: 4 }, { arbitrary: junk, weight: 1 });

function requestsFor(route: RouteUnderTest, tokens: { user: string; admin: string; taskId: string }): fc.Arbitrary<RawRequest> {
  const params = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  const validValues = (name: string) => (name === 'id' ? [tokens.taskId] : (route.valid?.[name] ?? []));
  const segment = (name: string) => fc.oneof(junkUrlComponent, ...(validValues(name).length > 0 ? [fc.constantFrom(...validValues(name))] : []));
  const queryKey = fc.oneof(...(route.query ? [fc.constantFrom(...route.query)] : []), junkUrlComponent);
  const query = fc.array(fc.tuple(queryKey, fc.oneof(junkUrlComponent, fc.constantFrom('', '10', '1', 'todo', 'jazz'))), { maxLength: 6 });
  const authorization = mostly(
    fc.constantFrom(
      ...(route.as === 'admin' ? [] : [`Bearer ${tokens.user}`, `bearer   ${tokens.user}`]),
      ...(route.as === 'user' ? [] : [`Bearer ${tokens.admin}`, `BEARER ${tokens.admin}`]),
    ),
    fc.oneof(
      fc.constantFrom(undefined, 'Bearer', 'Bearer ', 'Basic YTpi', `Bearer ${tokens.user}x`, `Bearer ${'a'.repeat(300)}`),
      headerText,
      headerText.map((junk) => `Bearer ${junk}`),
    ),
  );
  const contentType = mostly(
    fc.constantFrom('application/json', 'application/json; charset=utf-8'),
    fc.oneof(
      fc.constantFrom(undefined, 'application/json; charset=utf-16le', 'application/json; charset=latin1', 'application/json; charset=bogus',
        'application/json; charset=', 'APPLICATION/JSON', 'application/json;;', 'application/merge-patch+json', 'text/plain',
        'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ';'),
      headerText,
    ),
  );
  const contentEncoding = mostly(fc.constant(undefined), fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'zstd', 'GZIP', 'gzip, deflate', 'bogus', ''));
  const fields = route.fields ?? [];
  const body = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: junkObjectFor(fields).map((value) => JSON.stringify({ ...route.validBody, ...value })), weight: 4 },
    { arbitrary: junkObjectFor(fields).map((value) => JSON.stringify(value)), weight: 1 },
    { arbitrary: rawJunkBodyFor(fields.length > 0 ? fields : ['x']), weight: 1 },
  );
  return fc
    .record({
      method: mostly(fc.constantFrom(...route.methods), fc.constantFrom(...METHODS)),
      segments: fc.tuple(...params.map(segment)),
      query,
      authorization,
      contentType,
      contentEncoding,
      compress: fc.boolean(),
      body,
      extra: fc.option(fc.tuple(fc.constantFrom('accept-encoding', 'accept', 'x-forwarded-for', 'content-language', 'if-none-match', 'range'), headerText)),
    })
    .map((r): RawRequest => {
      let index = 0;
      const path = route.path.replace(/:\w+/g, () => r.segments[index++]!);
      const search = r.query.map(([key, value]) => `${key}=${value}`).join('&');
      const headers: Record<string, string> = {};
      if (r.authorization !== undefined) headers.authorization = r.authorization;
      if (r.contentType !== undefined) headers['content-type'] = r.contentType;
      if (r.contentEncoding !== undefined) headers['content-encoding'] = r.contentEncoding;
      if (r.extra !== null) headers[r.extra[0]] = r.extra[1];
      const text = r.body === undefined ? undefined : Buffer.from(r.body, 'utf8');
      const compress = r.compress && r.contentEncoding !== undefined ? COMPRESS[r.contentEncoding] : undefined;
      return { method: r.method, path: search === '' ? path : `${path}?${search}`, headers, body: text && compress ? compress(text) : text };
    })
    .filter((request) => !startsAProfile(request.path.split('?')[0]!, request.path.split('?')[1] ?? ''));
}

describe('no request a client can send gets a 5xx, and every error is the JSON error body', () => {
  let env: AppWithCatalog;
  let profileDir: string;
  let tokens: { user: string; admin: string; taskId: string };
  before(async () => {
    profileDir = await mkdtemp(join(tmpdir(), 'bad-input-profiles-'));
    env = await startAppWithCatalog({ PROFILE_DIR: profileDir, PROFILE_AUTO_CAPTURE: 'false' });
    const { token } = await env.app.api.newUser('Fuzz');
    const task = await env.app.api.post('/api/tasks', { title: 'target', tags: ['jazz'] }, { token });
    tokens = { user: token, admin: TEST_ADMIN_TOKEN, taskId: String(task.body.id) };
  });
  after(async () => {
    await env.stop();
    await rm(profileDir, { recursive: true, force: true });
  });

  for (const route of ROUTES) {
    test(`${route.path}: junk path parameters, query, headers and bodies, any method → status < 500 and the error body`, async (t) => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(requestsFor(route, tokens), async (request) => {
          const response = await rawRequest(env.app.service.url, request);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const seen = `${request.method} ${request.path} ${JSON.stringify(request.headers)} body ${JSON.stringify(request.body?.toString('utf8').slice(0, 200))}\n→ ${response.status} ${response.text.slice(0, 300)}`;
          assert.ok(response.status < 500, seen);
          if (response.status < 400 || request.method === 'HEAD') return;
          assert.match(String(response.headers['content-type']), /^application\/json/, seen);
          const body = JSON.parse(response.text);
          assert.equal(body.statusCode, response.status, seen);
          for (const key of ['error', 'message', 'code']) assert.equal(typeof body[key], 'string', `${key} is not a string: ${seen}`);
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
      t.diagnostic(`answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    });
  }
});

/** Keeps junk.ts's encoder honest: what it encodes decodes back to the same UTF-8. */
test('percentEncode gives a component that decodes to the UTF-8 of the text', () => {
  fc.assert(fc.property(junkText, (text) => assert.equal(decodeURIComponent(percentEncode(text)), Buffer.from(text, 'utf8').toString('utf8'))));
});
