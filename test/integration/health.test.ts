import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/startTestApp.ts';

describe('health endpoints', () => {
  let app: TestApp;
  let redisDown: TestApp;
  before(async () => {
    app = await startTestApp();
    // Port 9 (discard) is closed on the loopback interface: Redis is unreachable for this instance.
    redisDown = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:9' });
  });
  after(() => Promise.all([app.stop(), redisDown.stop()]));

  test('/healthz answers 200 while the process is alive', async () => {
    const { status, body } = await redisDown.api.get('/healthz');
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
  });

  test('/readyz answers 200 when PostgreSQL and Redis both answer', async () => {
    const { status, body } = await app.api.get('/readyz');
    assert.equal(status, 200);
    assert.deepEqual(body.checks, { postgres: 'ok', redis: 'ok' });
  });

  test('/readyz answers 503 naming the dependency that failed', async () => {
    const { status, body } = await redisDown.api.get('/readyz');
    assert.equal(status, 503);
    assert.equal(body.code, 'NOT_READY');
    assert.match(body.message, /redis/);
    assert.equal(body.details.postgres, 'ok');
    assert.match(body.details.redis, /^failed: /);
  });

  test('task endpoints keep working while Redis is down', async () => {
    const { token } = await redisDown.api.newUser('NoCache');
    assert.equal((await redisDown.api.post('/api/tasks', { title: 'still works' }, { token })).status, 201);
  });
});
