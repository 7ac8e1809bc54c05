import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/startTestApp.ts';

describe('tasks', () => {
  let app: TestApp;
  let token: string;
  before(async () => {
    app = await startTestApp();
    ({ token } = await app.api.newUser('Tess'));
  });
  after(() => app.stop());

  const create = async (body: unknown, as = token) => {
    const response = await app.api.post('/api/tasks', body, { token: as });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };

  test('POST creates a task with defaults, normalised tags and timestamps', async () => {
    const task = await create({ title: '  Write report ', tags: ['Work', 'work ', 'urgent'], dueAt: '2026-12-01T09:00:00+01:00' });
    assert.equal(typeof task.id, 'number');
    assert.equal(task.title, 'Write report');
    assert.equal(task.description, '');
    assert.equal(task.status, 'todo');
    assert.deepEqual(task.tags, ['work', 'urgent']);
    assert.equal(task.dueAt, '2026-12-01T08:00:00.000Z');
    assert.equal(task.createdAt, task.updatedAt);
    assert.deepEqual(Object.keys(task).sort(), ['createdAt', 'description', 'dueAt', 'id', 'status', 'tags', 'title', 'updatedAt']);
  });

  test('GET /api/tasks/:id returns the task; PATCH changes only the given fields; DELETE removes it', async () => {
    const task = await create({ title: 'Patch me', description: 'keep', tags: ['a'] });
    assert.deepEqual((await app.api.get(`/api/tasks/${task.id}`, { token })).body, task);

    const patched = await app.api.patch(`/api/tasks/${task.id}`, { status: 'doing', tags: ['b'], dueAt: null }, { token });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.status, 'doing');
    assert.deepEqual(patched.body.tags, ['b']);
    assert.equal(patched.body.description, 'keep');
    assert.ok(patched.body.updatedAt >= task.updatedAt);

    assert.equal((await app.api.delete(`/api/tasks/${task.id}`, { token })).status, 204);
    assert.equal((await app.api.get(`/api/tasks/${task.id}`, { token })).status, 404);
    assert.equal((await app.api.delete(`/api/tasks/${task.id}`, { token })).status, 404);
  });

  test("another user's task is a 404 for read, update and delete, and never listed", async () => {
    const mine = await create({ title: 'Private' });
    const other = await app.api.newUser('Mallory');
    assert.equal((await app.api.get(`/api/tasks/${mine.id}`, { token: other.token })).status, 404);
    assert.equal((await app.api.patch(`/api/tasks/${mine.id}`, { title: 'pwned' }, { token: other.token })).status, 404);
    assert.equal((await app.api.delete(`/api/tasks/${mine.id}`, { token: other.token })).status, 404);
    assert.deepEqual((await app.api.get('/api/tasks', { token: other.token })).body, { items: [], nextCursor: null });
    assert.equal((await app.api.get(`/api/tasks/${mine.id}`, { token })).body.title, 'Private');
  });

  test('bad task input is a 400 naming the fields, and nothing is stored', async () => {
    const user = await app.api.newUser('Val');
    const cases: [unknown, string][] = [
      [{}, 'body.title'],
      [{ title: 'x', status: 'blocked' }, 'body.status'],
      [{ title: 'x', tags: 'music' }, 'body.tags'],
      [{ title: 'x', tags: ['has space'] }, 'body.tags.0'],
      [{ title: 'x', dueAt: 'tomorrow' }, 'body.dueAt'],
      [{ title: 'x', owner: 1 }, 'body'],
      [{ title: 'x'.repeat(201) }, 'body.title'],
    ];
    for (const [body, path] of cases) {
      const response = await app.api.post('/api/tasks', body, { token: user.token });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.code, 'VALIDATION_FAILED');
      const paths = response.body.details.map((d: { path: string[] }) => d.path.join('.'));
      assert.ok(paths.includes(path), `${JSON.stringify(body)} -> ${paths}`);
    }
    assert.equal((await app.api.patch('/api/tasks/1', {}, { token: user.token })).status, 400);
    assert.equal((await app.api.get('/api/tasks/abc', { token: user.token })).status, 400);
    assert.deepEqual((await app.api.get('/api/tasks', { token: user.token })).body.items, []);
  });

  test('malformed JSON is a 400, a body over the limit a 413, both as JSON errors', async () => {
    const malformed = await app.api.request('POST', '/api/tasks', { token, rawBody: '{"title": ' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.code, 'MALFORMED_JSON');
    const huge = await app.api.request('POST', '/api/tasks', { token, rawBody: JSON.stringify({ title: 'x', description: 'y'.repeat(200_000) }) });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.code, 'PAYLOAD_TOO_LARGE');
  });

  test('an unknown route is a 404 and an unsupported method a 405 with Allow', async () => {
    const unknown = await app.api.get('/api/nothing-here', { token });
    assert.equal(unknown.status, 404);
    assert.deepEqual(Object.keys(unknown.body).sort(), ['code', 'error', 'message', 'statusCode']);
    const wrongMethod = await app.api.request('PUT', '/api/tasks/1', { token, body: {} });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET, PATCH, DELETE, HEAD');
    assert.equal(wrongMethod.body.code, 'METHOD_NOT_ALLOWED');
  });

  test('list query parameters are validated', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'status=blocked', 'cursor=not-a-cursor', 'tag=a&tag=b']) {
      const response = await app.api.get(`/api/tasks?${query}`, { token });
      assert.equal(response.status, 400, query);
      assert.equal(response.body.code, 'VALIDATION_FAILED', query);
    }
  });

  test('status and tag filters page through exactly the matching tasks, newest first', async () => {
    const user = await app.api.newUser('Filter');
    const made: { id: number }[] = [];
    for (let i = 0; i < 7; i++) {
      made.push(await create({ title: `t${i}`, status: i % 2 ? 'done' : 'todo', tags: i % 3 === 0 ? ['jazz'] : ['rock'] }, user.token));
    }
    const all = async (query: string) => {
      const ids: number[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: number }[]; nextCursor: string | null } } = await app.api.get(
          `/api/tasks?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`,
          { token: user.token },
        );
        ids.push(...page.body.items.map((t) => t.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      return ids;
    };
    const newestFirst = (predicate: (i: number) => boolean) => made.filter((_, i) => predicate(i)).map((t) => t.id).reverse();
    assert.deepEqual(await all('status=done'), newestFirst((i) => i % 2 === 1));
    assert.deepEqual(await all('tag=jazz'), newestFirst((i) => i % 3 === 0));
    assert.deepEqual(await all('tag=JAZZ&status=todo'), newestFirst((i) => i % 3 === 0 && i % 2 === 0));
  });

  test('pagination has no duplicates or gaps while tasks are being inserted', async () => {
    const user = await app.api.newUser('Pager');
    const initial: number[] = [];
    for (let i = 0; i < 45; i++) initial.push((await create({ title: `p${i}` }, user.token)).id);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: { items: { id: number }[]; nextCursor: string | null } } = await app.api.get(
        `/api/tasks?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
        { token: user.token },
      );
      assert.equal(page.status, 200);
      seen.push(...page.body.items.map((t) => t.id));
      cursor = page.body.nextCursor;
      pages++;
      // Newer tasks arrive between page reads; they belong before the first page and must not shift later pages.
      await create({ title: `new during page ${pages}` }, user.token);
    } while (cursor);
    assert.equal(pages, 5);
    assert.deepEqual(seen, [...initial].reverse());
  });

  test('the last page has nextCursor null and a full page exactly at the end does not invent one', async () => {
    const user = await app.api.newUser('Edge');
    for (let i = 0; i < 4; i++) await create({ title: `e${i}` }, user.token);
    const first = await app.api.get('/api/tasks?limit=2', { token: user.token });
    const second = await app.api.get(`/api/tasks?limit=2&cursor=${first.body.nextCursor}`, { token: user.token });
    assert.equal(second.body.items.length, 2);
    assert.equal(second.body.nextCursor, null);
    assert.equal((await app.api.get('/api/tasks', { token: user.token })).body.items.length, 4);
  });

  test('responses are compressed when the client accepts it', async () => {
    const user = await app.api.newUser('Zip');
    for (let i = 0; i < 20; i++) await create({ title: `compressible task number ${i}`, description: 'lorem ipsum '.repeat(20) }, user.token);
    const response = await fetch(`${app.service.url}/api/tasks?limit=20`, {
      headers: { authorization: `Bearer ${user.token}`, 'accept-encoding': 'gzip' },
    });
    assert.equal(response.headers.get('content-encoding'), 'gzip');
    assert.equal((await response.json()).items.length, 20);
  });
});
