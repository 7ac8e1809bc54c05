import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/startTestApp.ts';

describe('users and authentication', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.stop());

  test('POST /api/users returns 201 with the user and a token shown once', async () => {
    const { status, body } = await app.api.post('/api/users', { name: 'Grace', email: 'grace@example.com' });
    assert.equal(status, 201);
    assert.deepEqual(Object.keys(body).sort(), ['email', 'id', 'name', 'token']);
    assert.equal(body.name, 'Grace');
    assert.match(body.token, /^tok_[\w-]{43}$/);
    const tasks = await app.api.get('/api/tasks', { token: body.token });
    assert.equal(tasks.status, 200);
  });

  test('only a hash of the token is stored', async () => {
    const { body } = await app.api.post('/api/users', { name: 'Hash', email: 'hash@example.com' });
    const client = new pg.Client({ connectionString: app.database.url });
    await client.connect();
    const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [body.id]);
    await client.end();
    assert.equal(rows.length, 1);
    assert.ok(!JSON.stringify(rows[0]).includes(body.token));
    assert.equal(rows[0].token_hash.length, 32);
  });

  test('an e-mail already taken, in any case, is a 409', async () => {
    await app.api.post('/api/users', { name: 'A', email: 'Same@Example.com' });
    const { status, body } = await app.api.post('/api/users', { name: 'B', email: 'same@example.COM' });
    assert.equal(status, 409);
    assert.equal(body.code, 'EMAIL_TAKEN');
  });

  test('invalid fields are a 400 naming each of them', async () => {
    const { status, body } = await app.api.post('/api/users', { name: '', email: 'not-an-email', admin: true });
    assert.equal(status, 400);
    assert.equal(body.code, 'VALIDATION_FAILED');
    const paths = body.details.map((d: { path: string[] }) => d.path.join('.'));
    assert.ok(paths.includes('body.name'), paths.join());
    assert.ok(paths.includes('body.email'), paths.join());
    assert.ok(paths.some((p: string) => p === 'body' || p.startsWith('body')), 'unknown key reported');
  });

  test('a missing, malformed or unknown token is a 401', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer tok_unknown' }]) {
      const { status, body } = await app.api.get('/api/tasks', { headers });
      assert.equal(status, 401);
      assert.equal(body.code, 'UNAUTHORIZED');
      assert.equal(body.statusCode, 401);
    }
  });

  test('the admin token is not a user: user endpoints answer 403', async () => {
    const { status, body } = await app.api.get('/api/tasks', { token: TEST_ADMIN_TOKEN });
    assert.equal(status, 403);
    assert.equal(body.code, 'FORBIDDEN');
  });
});
