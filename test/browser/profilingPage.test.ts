import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startTestTelemetry } from '../support/testTelemetry.ts';

// Telemetry first, the app afterwards, so pg, ioredis and pino load patched.
const telemetry = await startTestTelemetry();
const { startAppWithCatalog, userWithTags } = await import('../support/startAppWithCatalog.ts');
const { TEST_ADMIN_TOKEN } = await import('../support/startTestApp.ts');
const profileDir = await mkdtemp(join(tmpdir(), 'profiles-'));
const env = await startAppWithCatalog({
  SLOW_REQUEST_MS: '200',
  // The automatic profile should come from a slow request, not from a stall of a busy test machine.
  EVENT_LOOP_STALL_MS: '60000',
  PROFILE_DIR: profileDir,
  PROFILE_CAPTURE_MS: '600',
  // No rate limit: an earlier request made slow by a busy machine must not use up the capture this test expects.
  PROFILE_CAPTURE_MIN_INTERVAL_MS: '0',
  METRICS_HISTORY_INTERVAL_MS: '300',
  CATALOG_TIMEOUT_MS: '3000',
});
const artifacts = join(import.meta.dirname, '..', 'artifacts');
let browser: Browser;

/** Some ordinary traffic, the first recommendations made slow by the catalog. */
async function load(): Promise<void> {
  const token = await userWithTags(env.app, ['jazz', 'rock', 'blues']);
  const auth = { token };
  // The first recommendations miss the cache and wait for the slow catalog; later ones are served from the cache.
  env.catalog.control.set({ latencyMs: 300 });
  for (let round = 0; round < 8; round++) {
    await env.app.api.post('/api/tasks', { title: `task ${round}`, tags: ['jazz'] }, auth);
    await Promise.all([env.app.api.get('/api/tasks?limit=5', auth), env.app.api.get('/api/recommendations', auth)]);
    if (round === 2) env.catalog.control.set({ latencyMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

before(async () => {
  // A live heap profile first, so the newest profile (the one the page opens) is the automatic CPU profile.
  assert.equal((await env.app.api.request('POST', '/api/profiling/heap?seconds=1', { token: TEST_ADMIN_TOKEN })).status, 200);
  await load();
  // The automatic profile is saved PROFILE_CAPTURE_MS after the first slow request.
  for (let attempt = 0; attempt < 100; attempt++) {
    const { body } = await env.app.api.get('/api/profiling/profiles', { token: TEST_ADMIN_TOKEN });
    if (body.items.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
after(async () => {
  await browser?.close();
  await env.stop();
  await telemetry.handle.shutdown();
  await rm(profileDir, { recursive: true, force: true });
});

test('the page asks for the token, then shows charts with data, the slow requests and a flame graph', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => void (message.type() === 'error' && problems.push(`console: ${message.text()}`)));

  // The screenshot is taken whatever happens: it is the first thing to look at when this test fails.
  t.after(async () => {
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'profiling-page.png'), fullPage: true });
  });
  await page.goto(`${env.app.service.url}/admin/profiling`);
  await page.fill('#token', 'wrong-token-of-enough-length');
  await page.click('#login button');
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('Unknown or revoked token'));
  assert.equal(await page.isVisible('#content'), false);
  problems.length = 0; // the browser logs the 401 it was answered

  await page.fill('#token', TEST_ADMIN_TOKEN);
  await page.click('#login button');
  await page.waitForSelector('#slow-requests tbody tr');
  for (const chart of ['chart-latency', 'chart-cpu', 'chart-memory', 'chart-event-loop']) {
    await page.waitForFunction((id) => Number(document.getElementById(id)?.dataset.points) > 0, chart);
    assert.equal(await page.locator(`#${chart} canvas`).count(), 1, `${chart} is drawn`);
  }
  const slowRows = await page.locator('#slow-requests tbody tr').allInnerTexts();
  assert.ok(slowRows.some((text) => text.includes('GET /api/recommendations')), slowRows.join('\n'));
  await page.waitForFunction(() => document.querySelectorAll('#flame svg g.frame').length > 3, undefined, { timeout: 10_000 }).catch((error: Error) => {
    throw new Error(`${error.message}; page problems: ${problems.join('; ')}`);
  });
  assert.match((await page.textContent('#flame-title')) ?? '', /\.cpuprofile: [\d.]+ ms/);
  assert.ok((await page.locator('#endpoints tbody tr').count()) >= 3);

  // A heap profile renders as bytes per allocation stack.
  await page.locator('#profiles button', { hasText: '.heapprofile' }).click();
  await page.waitForFunction(() => /\.heapprofile: [\d.]+ KiB/.test(document.getElementById('flame-title')?.textContent ?? ''));
  assert.ok((await page.locator('#flame svg g.frame').count()) > 1);

  // A slow request's profile link opens its flame graph.
  await page.locator('#slow-requests button.link').first().click();
  await page.waitForFunction(() => /auto-.*\.cpuprofile: [\d.]+ ms/.test(document.getElementById('flame-title')?.textContent ?? ''));
  assert.deepEqual(problems, []);
});

test('the page shell holds no data and the admin API behind it needs the token', async () => {
  const shell = await fetch(`${env.app.service.url}/admin/profiling`);
  assert.equal(shell.status, 200);
  assert.match(shell.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.doesNotMatch(await shell.text(), /recommendations|auto-/);
  assert.equal((await fetch(`${env.app.service.url}/admin/profiling/vendor/uPlot.iife.min.js`)).status, 200);
  assert.equal((await fetch(`${env.app.service.url}/admin/profiling/vendor/__proto__`)).status, 404);
  assert.equal((await fetch(`${env.app.service.url}/api/metrics`)).status, 401);
});
