import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/startTestApp.ts';
import type { ApiResponse } from '../support/apiClient.ts';
import { rawRequest } from '../support/rawRequest.ts';

/** The junk of issue 11, each of which was a 500: every one must now be a 4xx with the usual error body. */
describe('bad input gets a 4xx, never a 500', () => {
  let app: TestApp;
  let token: string;
  let taskId: number;
  before(async () => {
    app = await startTestApp();
    ({ token } = await app.api.newUser('Junk'));
    taskId = (await app.api.post('/api/tasks', { title: 'the one task' }, { token })).body.id;
  });
  after(() => app.stop());

  /** Asserts the status, the error body's shape and its code, and returns the body. */
  const expectError = (response: ApiResponse, statusCode: number, code: string) => {
    const seen = `${response.status} ${JSON.stringify(response.body)}`;
    assert.equal(response.status, statusCode, seen);
    assert.equal(response.body.statusCode, statusCode, seen);
    assert.equal(response.body.code, code, seen);
    assert.equal(typeof response.body.error, 'string', seen);
    assert.equal(typeof response.body.message, 'string', seen);
    return response.body;
  };
  const fieldsOf = (body: { details?: { path: string[] }[] }) => (body.details ?? []).map((d) => d.path.join('.'));

  for (const [path, as] of [
    ['/api/tasks/%E0%A4%A', 'no token'],
    ['/api/tasks/%E0%A4%A', 'a user token'],
    ['/admin/profiling/%ZZ', 'no token'],
    ['/api/profiling/profiles/%ff', 'the admin token'],
  ] as const) {
    test(`malformed percent-encoding in a path parameter is a 400 MALFORMED_URI: GET ${path} with ${as}`, async () => {
      const options = as === 'no token' ? {} : { token: as === 'a user token' ? token : TEST_ADMIN_TOKEN };
      const body = expectError(await app.api.get(path, options), 400, 'MALFORMED_URI');
      assert.doesNotMatch(body.message, /Failed to decode/, 'the router’s own message, which echoes the input, is not passed on');
    });
  }

  test('a NUL character in a task title or description is a 400 naming the field', async () => {
    const created = expectError(await app.api.post('/api/tasks', { title: 'a\u0000b' }, { token }), 400, 'VALIDATION_FAILED');
    assert.deepEqual(fieldsOf(created), ['body.title']);
    const patched = expectError(await app.api.patch(`/api/tasks/${taskId}`, { description: '\u0000' }, { token }), 400, 'VALIDATION_FAILED');
    assert.deepEqual(fieldsOf(patched), ['body.description']);
  });

  test('a NUL character in a user name or e-mail is a 400 naming the field', async () => {
    const name = expectError(await app.api.post('/api/users', { name: 'Nul\u0000', email: 'nul@example.com' }, {}), 400, 'VALIDATION_FAILED');
    assert.deepEqual(fieldsOf(name), ['body.name']);
    const email = expectError(await app.api.post('/api/users', { name: 'Nul', email: 'nul\u0000@example.com' }, {}), 400, 'VALIDATION_FAILED');
    assert.ok(fieldsOf(email).every((field) => field === 'body.email'), fieldsOf(email).join());
  });

  for (const dueAt of ['0000-01-01T00:00:00Z', '2026-01-01T00:00:00+20:00', '2026-01-01T00:00:00-16:00', '9999-12-31T23:59:59.9999999Z', '0001-01-01T00:00:00+01:00']) {
    test(`a due date PostgreSQL cannot store or give back as ISO 8601 is a 400 naming dueAt: ${dueAt}`, async () => {
      const body = expectError(await app.api.post('/api/tasks', { title: 'due', dueAt }, { token }), 400, 'VALIDATION_FAILED');
      assert.deepEqual(fieldsOf(body), ['body.dueAt']);
    });
  }

  for (const [dueAt, stored] of [
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
    ['2026-01-01T00:00:00+15:59', '2025-12-31T08:01:00.000Z'],
    ['2026-01-01T00:00:00-15:59', '2026-01-01T15:59:00.000Z'],
  ]) {
    test(`a due date at the edge of what is accepted is stored and read back as ISO 8601: ${dueAt}`, async () => {
      const response = await app.api.post('/api/tasks', { title: 'edge', dueAt }, { token });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      assert.equal(response.body.dueAt, stored);
      assert.equal((await app.api.get(`/api/tasks/${response.body.id}`, { token })).body.dueAt, stored);
    });
  }

  test('a task id is a strict decimal: 0x10, 1e0, " 1", 01, 1.0, +1 and 2^53 are 400s; the plain id is the task', async () => {
    for (const id of ['0x10', '1e0', '%201', '01', '1.0', '+1', '0', '-1', '9007199254740992']) {
      const body = expectError(await app.api.get(`/api/tasks/${id}`, { token }), 400, 'VALIDATION_FAILED');
      assert.deepEqual(fieldsOf(body), ['params.id'], id);
    }
    assert.equal((await app.api.get(`/api/tasks/${taskId}`, { token })).status, 200);
  });

  test('the Bearer scheme is matched case-insensitively, with one or more spaces after it', async () => {
    for (const authorization of [`bearer ${token}`, `BEARER   ${token}`, `bEaReR ${token}`]) {
      const { status } = await app.api.get('/api/tasks', { headers: { authorization } });
      assert.equal(status, 200, authorization);
    }
    for (const authorization of [`Bearer${token}`, `Bearer\t${token}`, `Bearer ${token} x`]) {
      expectError(await app.api.get('/api/tasks', { headers: { authorization } }), 401, 'UNAUTHORIZED');
    }
  });

  test('a body that does not decompress is a 400 with a fixed message, not the zlib error', async () => {
    const response = await app.api.request('POST', '/api/tasks', { token, rawBody: '{"title":"x"}', headers: { 'content-encoding': 'gzip' } });
    const body = expectError(response, 400, 'BAD_REQUEST');
    assert.doesNotMatch(body.message, /header check/);
  });

  test("headers over Node's size limit are a 431 with the JSON error body, not a bare status line", async () => {
    const response = await rawRequest(app.service.url, { method: 'GET', path: '/api/tasks', headers: { 'x-junk': 'a'.repeat(20_000) } });
    assert.equal(response.status, 431, response.text);
    assert.deepEqual(JSON.parse(response.text), {
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      message: 'The request line and headers are too large',
      code: 'HEADERS_TOO_LARGE',
    });
  });
});
