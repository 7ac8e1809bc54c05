import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { samplesOf, scrape, type Scrape } from '../support/prometheusText.ts';
import { startTestTelemetry } from '../support/testTelemetry.ts';

// Telemetry first, the app afterwards, so pg and ioredis load patched.
const telemetry = await startTestTelemetry();
const { startTestApp } = await import('../support/startTestApp.ts');
const app = await startTestApp();
after(async () => {
  await app.stop();
  await telemetry.handle.shutdown();
});

const EMAIL = 'grace.hopper@example.com';
let token = '';
let taskId = 0;

before(async () => {
  const created = await app.api.post('/api/users', { name: 'Grace', email: EMAIL });
  token = created.body.token;
  const auth = { token };
  for (const title of ['one', 'two', 'three']) taskId = (await app.api.post('/api/tasks', { title }, auth)).body.id;
  await app.api.post('/api/tasks', { title: '' }, auth); // 400
  await app.api.request('PATCH', `/api/tasks/${taskId}`, { ...auth, rawBody: '{"status":', headers: { 'content-type': 'application/json' } }); // 400: malformed JSON
  await app.api.get('/api/tasks?limit=2', auth);
  await app.api.get(`/api/tasks?limit=1&tag=secret-${EMAIL}`, auth); // 400: not a valid tag
  await app.api.get(`/api/tasks/${taskId}`, auth);
  await app.api.get('/api/tasks/987654321', auth); // 404
  await app.api.patch(`/api/tasks/${taskId}`, { status: 'done' }, auth);
  await app.api.delete(`/api/tasks/${taskId}`, auth); // 204
  await app.api.get('/api/tasks'); // 401
  await app.api.request('PUT', '/api/tasks', auth); // 405
  await app.api.get(`/no/such/path/42?token=${token}`); // 404, unmatched
});

/** Responses are counted when the server closes them, which can be a moment after the client has read them. */
async function scrapeWhen(ready: (result: Scrape) => boolean): Promise<Scrape> {
  for (let attempt = 0; ; attempt++) {
    const result = await scrape(telemetry.metricsUrl);
    if (ready(result) || attempt === 50) return result;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('every request is counted once, under its route template, method and status', async () => {
  const expected = [
    ['POST', '/api/users', '201', 1],
    ['POST', '/api/tasks', '201', 3],
    ['POST', '/api/tasks', '400', 1],
    ['GET', '/api/tasks', '200', 1],
    ['GET', '/api/tasks', '400', 1],
    ['GET', '/api/tasks', '401', 1],
    ['PUT', '/api/tasks', '405', 1],
    ['GET', '/api/tasks/:id', '200', 1],
    ['GET', '/api/tasks/:id', '404', 1],
    ['PATCH', '/api/tasks/:id', '200', 1],
    ['PATCH', '/api/tasks/:id', '400', 1],
    ['DELETE', '/api/tasks/:id', '204', 1],
    ['GET', 'unmatched', '404', 1],
  ] as const;
  const total = expected.reduce((sum, [, , , count]) => sum + count, 0);
  const result = await scrapeWhen((s) => samplesOf(s, 'http_server_request_duration_seconds_count').reduce((sum, x) => sum + x.value, 0) >= total);
  const counted = samplesOf(result, 'http_server_request_duration_seconds_count').map((sample) => [
    sample.labels.http_request_method,
    sample.labels.http_route,
    sample.labels.http_response_status_code,
    sample.value,
  ]);
  assert.deepEqual(
    counted.toSorted().map(String),
    expected.map((row) => [...row]).toSorted().map(String),
  );
});

test('task changes are counted by operation', async () => {
  const result = await scrape(telemetry.metricsUrl);
  const byOperation = Object.fromEntries(samplesOf(result, 'app_tasks_changes_total').map((s) => [s.labels.operation, s.value]));
  assert.deepEqual(byOperation, { created: 3, updated: 1, deleted: 1 });
});

test('no label value carries an id, e-mail, token, query string or raw path', async () => {
  const result = await scrape(telemetry.metricsUrl);
  const forbidden = [EMAIL, token, `/api/tasks/${taskId}`, '/no/such/path', '?', 'secret-', 'limit='];
  for (const sample of result.samples) {
    for (const [label, value] of Object.entries(sample.labels)) {
      for (const bad of forbidden) assert.ok(!value.includes(bad), `${sample.name}{${label}="${value}"} contains ${bad}`);
    }
  }
});
