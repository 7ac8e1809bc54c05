import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Profile } from 'pprof-format';
import { startTestTelemetry } from '../support/testTelemetry.ts';

// Telemetry first, the app afterwards, so pg and ioredis load patched.
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
  GRAFANA_URL: 'http://grafana.example:3000/',
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
  // A live heap profile first, so the newest profile (the one the page opens) is the automatic CPU profile. Requests
  // while it runs leave live allocations in it (this process keeps every span), so its flame graph has more than a
  // root: a profile of an idle second may hold no sample at all.
  const heapProfile = env.app.api.request('POST', '/api/profiling/heap?seconds=1', { token: TEST_ADMIN_TOKEN });
  let heapProfileDone = false;
  const markDone = (): void => void (heapProfileDone = true);
  heapProfile.then(markDone, markDone);
  const { token } = await env.app.api.newUser('HeapTraffic');
  while (!heapProfileDone) await env.app.api.post('/api/tasks', { title: 'allocates' }, { token });
  assert.equal((await heapProfile).status, 200);
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

/**
 * A browser tab that collects the page's errors and console errors, and saves a screenshot when the test ends,
 * whatever happens: it is the first thing to look at when a test fails.
 */
async function newPage(t: TestContext, screenshot: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => void (message.type() === 'error' && problems.push(`console: ${message.text()}`)));
  t.after(async () => {
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, screenshot), fullPage: true });
  });
  return { page, problems };
}

test('the page asks for the token, then shows charts with data, the slow requests and a flame graph', async (t) => {
  const { page, problems } = await newPage(t, 'profiling-page.png');
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

test('a slow request\'s span names its profile, the page opened at the span\'s URL shows that profile and downloads it as pprof, and its trace links to Grafana Explore', async (t) => {
  const slowSpans = telemetry.spans
    .getFinishedSpans()
    .filter((span) => span.name === 'GET /api/recommendations' && span.events.some((event) => event.name === 'profile.captured'));
  assert.ok(slowSpans.length > 0, `no recommendation span with a profile.captured event among ${telemetry.spans.getFinishedSpans().length} spans`);
  const span = slowSpans[0]!;
  const event = span.events.find((candidate) => candidate.name === 'profile.captured')!;
  const name = String(event.attributes?.['profile.name']);
  const url = String(event.attributes?.['profile.url']);
  const traceId = span.spanContext().traceId;
  t.diagnostic(`${slowSpans.length} slow recommendation spans name a profile; opening ${url} for trace ${traceId}`);
  assert.match(name, /^auto-[\w-]+-slow-request\.cpuprofile$/);
  assert.equal(url, `/admin/profiling?profile=${name}`);

  const { page, problems } = await newPage(t, 'profiling-page-profile-link.png');
  await page.goto(`${env.app.service.url}${url}`);
  await page.fill('#token', TEST_ADMIN_TOKEN);
  await page.click('#login button');
  await page.waitForFunction((wanted) => new RegExp(`^${wanted.replaceAll('.', '\\.')}: [\\d.]+ ms`).test(document.getElementById('flame-title')?.textContent ?? ''), name, { timeout: 15_000 }).catch(async (error: Error) => {
    throw new Error(`${error.message}; flame title: ${await page.textContent('#flame-title')}; page problems: ${problems.join('; ')}`);
  });
  assert.ok((await page.locator('#flame svg g.frame').count()) > 1, 'the flame graph is drawn');
  assert.equal(await page.locator('#profiles button.selected').count(), 1);
  assert.match((await page.locator('#profiles button.selected').textContent()) ?? '', new RegExp(`^${name.replaceAll('.', '\\.')} `));

  // The selected profile downloads as pprof, with the samples of the V8 profile.
  const [pprof] = await Promise.all([page.waitForEvent('download'), page.click('#download-pprof')]);
  assert.equal(pprof.suggestedFilename(), `${name}.pb.gz`);
  const decoded = Profile.decode(gunzipSync(await readFile(await pprof.path())));
  const v8 = (await env.app.api.get(`/api/profiling/profiles/${name}`, { token: TEST_ADMIN_TOKEN })).body;
  assert.equal(decoded.sample.reduce((sum, sample) => sum + Number(sample.value[0]), 0), v8.samples.length);

  // The slow request of that trace links to it in Grafana Explore on the Tempo datasource.
  const link = page.locator('#slow-requests tbody tr a', { hasText: traceId });
  await link.first().waitFor();
  const href = new URL((await link.first().getAttribute('href')) ?? '');
  assert.equal(`${href.origin}${href.pathname}`, 'http://grafana.example:3000/explore');
  assert.equal(href.searchParams.get('schemaVersion'), '1');
  const panes = Object.values(JSON.parse(href.searchParams.get('panes') ?? '{}')) as any[];
  assert.equal(panes.length, 1);
  assert.equal(panes[0].datasource, 'tempo');
  assert.deepEqual(panes[0].queries.map((query: any) => [query.datasource.uid, query.query]), [['tempo', traceId]]);
  assert.ok(Number(panes[0].range.from) < Date.now() && Number(panes[0].range.to) > Number(panes[0].range.from));
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
