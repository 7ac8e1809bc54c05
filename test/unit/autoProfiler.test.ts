import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { createLogger } from '../../app/src/logger.ts';
import { AutoProfiler, type AutoProfilerOptions } from '../../app/src/profiling/AutoProfiler.ts';
import { captureCpuProfile, isProfiling } from '../../app/src/profiling/inspectorProfiler.ts';
import { watchEventLoopStalls } from '../../app/src/profiling/watchEventLoopStalls.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Each test gets its own profile directory and its own clock: nothing it reads depends on today or on another test. */
async function profilerAt(clock: { now: number }, options: Partial<AutoProfilerOptions> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'auto-profiles-'));
  dirs.push(dir);
  let logged = '';
  const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => ((logged += chunk), done()) }));
  const profiler = new AutoProfiler({ dir, captureMs: 50, minIntervalMs: 60_000, logger, now: () => clock.now, ...options });
  return { dir, profiler, logLines: () => logged.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
}

test('one capture per interval: it is saved, logged with the trace id, and found by the requests it overlapped', async () => {
  const start = Date.parse('2026-11-29T12:00:00Z');
  const clock = { now: start };
  const { dir, profiler, logLines } = await profilerAt(clock);
  const capture = profiler.trigger({ reason: 'slow_request', traceId: 'a'.repeat(32), route: '/api/tasks' });
  assert.equal(capture?.name, 'auto-2026-11-29T12-00-00-000Z-slow-request.cpuprofile');
  clock.now += 59_000;
  assert.equal(profiler.trigger({ reason: 'event_loop_stall' }), undefined, 'rate-limited');
  assert.equal(profiler.overlapping(start - 1000, start + 10)?.name, capture?.name, 'a request running when it started');
  assert.equal(profiler.overlapping(start + 40, start + 1000)?.name, capture?.name, 'a request that started during it');
  assert.equal(profiler.overlapping(start + 100, start + 1000), undefined, 'a request after it');
  await profiler.settled();

  const saved = JSON.parse(await readFile(join(dir, capture!.name), 'utf8'));
  assert.ok(Array.isArray(saved.nodes));
  const [line] = logLines();
  assert.equal(line.msg, 'cpu profile captured automatically');
  assert.equal(line.traceId, 'a'.repeat(32));
  assert.equal(line.route, '/api/tasks');
  assert.equal(line.file, join(dir, capture!.name));

  clock.now += 1000;
  assert.ok(profiler.trigger({ reason: 'event_loop_stall' }), 'allowed again after the interval');
  await profiler.settled();
});

test('no capture while another CPU profile runs', async () => {
  const { profiler } = await profilerAt({ now: Date.parse('2026-11-29T12:00:00Z') });
  const live = captureCpuProfile(100);
  assert.equal(profiler.trigger({ reason: 'slow_request' }), undefined);
  await live;
  assert.ok(profiler.trigger({ reason: 'slow_request' }));
  await profiler.settled();
});

test('only the newest automatic profiles are kept', async () => {
  const clock = { now: Date.parse('2026-11-30T00:00:00Z') };
  const { dir, profiler } = await profilerAt(clock, { keepFiles: 2 });
  for (let n = 0; n < 3; n++) {
    clock.now += 61_000;
    profiler.trigger({ reason: 'slow_request' });
    await profiler.settled();
  }
  const kept = await readdir(dir);
  assert.deepEqual(kept, ['auto-2026-11-30T00-02-02-000Z-slow-request.cpuprofile', 'auto-2026-11-30T00-03-03-000Z-slow-request.cpuprofile']);
});

test('a blocked event loop is reported as a stall', async () => {
  const stalls: number[] = [];
  const stop = watchEventLoopStalls(100, (ms) => stalls.push(ms), 20);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const end = performance.now() + 400;
  while (performance.now() < end); // blocks the event loop
  await new Promise((resolve) => setTimeout(resolve, 100));
  stop();
  assert.ok(stalls.some((ms) => ms > 300), `stalls seen: ${stalls.join(', ')}`);
});

test('shutdown cancels a capture in progress: the profiler is free at once, nothing is saved, no more captures', async () => {
  const clock = { now: Date.parse('2026-11-30T00:00:00Z') };
  const { dir, profiler, logLines } = await profilerAt(clock, { captureMs: 30_000, minIntervalMs: 0 });
  const capture = profiler.trigger({ reason: 'slow_request' });
  assert.ok(capture);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = performance.now();
  await profiler.shutdown();
  const tookMs = performance.now() - started;
  assert.ok(tookMs < 5_000, `shutdown took ${tookMs.toFixed(0)} ms with a 30 s capture running`);
  assert.equal(isProfiling('cpu'), false);
  assert.deepEqual(await readdir(dir), []);
  assert.equal(profiler.overlapping(clock.now - 1000, clock.now + 1000), undefined, 'no request names the unsaved capture');
  assert.equal(profiler.trigger({ reason: 'slow_request' }), undefined, 'no capture after shutdown');
  assert.deepEqual(logLines().map((line) => line.msg), ['automatic cpu profile cancelled by shutdown']);
});
