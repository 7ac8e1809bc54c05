import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request } from 'node:http';
import { test } from 'node:test';
import { spawnApp } from '../support/spawnApp.ts';
import { startTestApp } from '../support/startTestApp.ts';

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
  const app = await spawnApp();
  const started = Date.now();
  assert.equal(await app.stopWith('SIGTERM'), 0);
  assert.ok(Date.now() - started < 5_000, `exited after ${Date.now() - started} ms`);
  assert.ok(app.stdoutLines.some((line) => line.includes('"signal":"SIGTERM"')));
});
