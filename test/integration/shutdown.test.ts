import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { test } from 'node:test';
import { startTestApp, TEST_ADMIN_TOKEN } from '../support/startTestApp.ts';
import { createTestDatabase, requireEnv } from '../support/testDatabase.ts';

test('stop() lets an in-flight request finish, then refuses new connections', async () => {
  const app = await startTestApp();
  const { token } = await app.api.newUser('Slowpoke');
  const body = JSON.stringify({ title: 'sent slowly' });
  // Headers now, body later: the request is in flight when the shutdown starts.
  const inFlight = request(`${app.service.url}/api/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  inFlight.flushHeaders();
  inFlight.write(body.slice(0, 5));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const stopped = app.service.stop();
  inFlight.end(body.slice(5));
  const [response] = (await once(inFlight, 'response')) as [import('node:http').IncomingMessage];
  assert.equal(response.statusCode, 201);
  response.resume();
  await stopped;
  await assert.rejects(fetch(`${app.service.url}/healthz`));
  await app.database.drop();
});

test('the process exits 0 soon after SIGTERM', async () => {
  const database = await createTestDatabase();
  const child = spawn(process.execPath, ['app/src/main.ts'], {
    env: { ...process.env, DATABASE_URL: database.url, REDIS_URL: requireEnv('REDIS_URL'), PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: TEST_ADMIN_TOKEN, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('"msg":"listening"')) resolve();
    }),
  );
  const started = Date.now();
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
  assert.ok(Date.now() - started < 5_000, `exited after ${Date.now() - started} ms`);
  assert.match(output, /"signal":"SIGTERM"/);
  await database.drop();
});
