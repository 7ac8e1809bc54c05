import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/startTestApp.ts';

// Port 9 (discard) is closed on the loopback interface: a dependency pointed there refuses every connection.
const CLOSED = '127.0.0.1:9';

describe('health endpoints', () => {
  let app: TestApp;
  let redisDown: TestApp;
  let postgresDown: TestApp;
  before(async () => {
    app = await startTestApp();
    redisDown = await startTestApp({ REDIS_URL: `redis://${CLOSED}` });
    postgresDown = await startTestApp({ DATABASE_URL: `postgres://postgres@${CLOSED}/postgres`, MIGRATE_ON_START: 'false' });
  });
  after(() => Promise.all([app.stop(), redisDown.stop(), postgresDown.stop()]));

  test('/healthz answers 200 while the process is alive', async () => {
    const { status, body } = await postgresDown.api.get('/healthz');
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
  });

  test('/readyz answers 200 when PostgreSQL and Redis both answer', async () => {
    const { status, body } = await app.api.get('/readyz');
    assert.equal(status, 200);
    assert.deepEqual(body, { status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  test('/readyz stays 200 while Redis is down and reports the cache as degraded', async () => {
    const { status, body } = await redisDown.api.get('/readyz');
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body, { status: 'ok', checks: { postgres: 'ok', redis: 'degraded' } });
  });

  test('/readyz answers 503 naming PostgreSQL when it is down, without the driver error text', async () => {
    const { status, body } = await postgresDown.api.get('/readyz');
    assert.equal(status, 503);
    assert.equal(body.code, 'NOT_READY');
    assert.equal(body.message, 'Not ready: postgres unavailable');
    assert.deepEqual(body.details, { postgres: 'unavailable', redis: 'ok' });
  });

  test('task endpoints keep working while Redis is down', async () => {
    const { token } = await redisDown.api.newUser('NoCache');
    assert.equal((await redisDown.api.post('/api/tasks', { title: 'still works' }, { token })).status, 201);
  });

  test('requests that need PostgreSQL answer 503 DATABASE_UNAVAILABLE at once while it refuses connections', async () => {
    const started = performance.now();
    const answers = await Promise.all([
      postgresDown.api.post('/api/users', { name: 'Nobody', email: 'nobody@example.com' }),
      postgresDown.api.get('/api/tasks', { token: 'a-token-that-needs-a-lookup' }),
    ]);
    const elapsedMs = performance.now() - started;
    for (const { status, headers, body } of answers) {
      assert.equal(status, 503, JSON.stringify(body));
      // A client that honours it waits a second instead of retrying into the outage at once.
      assert.equal(headers.get('retry-after'), '1');
      assert.deepEqual(body, {
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'DATABASE_UNAVAILABLE',
        message: 'The database is unavailable; try again shortly',
      });
    }
    // Refused connections fail at once; PG_CONNECTION_TIMEOUT_MS (2 s) is the bound for a server that hangs.
    assert.ok(elapsedMs < 1_500, `answered after ${elapsedMs.toFixed(0)} ms`);
  });
});
