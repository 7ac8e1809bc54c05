import { strict as assert } from 'node:assert';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { cpuProfile, cpuProfiledFunction, type CpuProfileReport } from '../../app/src/profiling/cpuProfile.ts';
import type { CpuProfile } from '../../app/src/profiling/inspectorProfiler.ts';
import { summarizeCpuProfile } from '../../app/src/profiling/summarizeCpuProfile.ts';

const dir = await mkdtemp(join(tmpdir(), 'cpu-profile-test-'));
after(() => rm(dir, { recursive: true, force: true }));

function spinPrimes(ms: number): number {
  let found = 0;
  const end = performance.now() + ms;
  for (let n = 2; performance.now() < end; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
    if (prime) found++;
  }
  return found;
}

test('a CPU-bound function is the hottest function of its own profile, with its file and line', async () => {
  const { result, file, summary } = await cpuProfile('primes', () => spinPrimes(300), { dir });
  assert.ok(result > 100);
  const hottest = summary.top[0];
  assert.equal(hottest?.functionName, 'spinPrimes');
  assert.match(hottest.location, /test\/unit\/cpuProfile\.test\.ts:\d+$/);
  assert.ok(hottest.selfMs > 100, `self ${hottest.selfMs} ms`);
  assert.ok(hottest.totalMs >= hottest.selfMs);
  assert.ok(hottest.selfPercent > 30 && hottest.selfPercent <= 100);
  assert.ok(summary.sampledMs >= 250, `sampled ${summary.sampledMs} ms`);
  assert.match(basename(file), /^primes-\d{4}-\d\d-\d\dT[\d-]+Z\.cpuprofile$/);
  const written = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  assert.ok(written.nodes.length > 0 && (written.samples?.length ?? 0) > 0 && written.timeDeltas !== undefined);
});

test('waiting is reported as idle time, not as a hot function', async () => {
  const { summary } = await cpuProfile('sleep', () => new Promise((resolve) => setTimeout(resolve, 200)), { dir });
  assert.ok(summary.idleMs > 100, `idle ${summary.idleMs} ms`);
  assert.ok(summary.top.every((fn) => !['(idle)', '(program)', '(garbage collector)', '(root)'].includes(fn.functionName)));
});

test('self and total time come from samples and time deltas, recursion counted once', () => {
  const frame = (functionName: string, lineNumber = 0) => ({ functionName, url: 'file:///x/app.js', lineNumber, columnNumber: 0, scriptId: '1' });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 5] },
      { id: 2, callFrame: frame('outer', 1), children: [3] },
      { id: 3, callFrame: frame('inner', 9), children: [4] },
      { id: 4, callFrame: frame('outer', 1), children: [] },
      { id: 5, callFrame: frame('(idle)'), children: [] },
    ],
    startTime: 0,
    endTime: 10_000,
    // sample i lasts until sample i+1: outer 1 ms, inner 4 ms, outer (recursive) 2 ms, idle 3 ms (until endTime)
    samples: [2, 3, 4, 5],
    timeDeltas: [0, 1000, 4000, 2000],
  };
  const summary = summarizeCpuProfile(profile);
  assert.equal(summary.sampledMs, 10);
  assert.equal(summary.idleMs, 3);
  assert.deepEqual(summary.top, [
    { functionName: 'inner', location: '/x/app.js:10', selfMs: 4, selfPercent: 40, totalMs: 6 },
    { functionName: 'outer', location: '/x/app.js:2', selfMs: 3, selfPercent: 30, totalMs: 7 },
  ]);
});

test('cpuProfiledFunction() returns the result and hands each profile over; a call during another profile runs unprofiled', async () => {
  const reports: CpuProfileReport[] = [];
  // Its own function: one that ran hot in another test may be inlined into the wrapper by now.
  function sumRoots(ms: number): number {
    let sum = 0;
    const end = performance.now() + ms;
    for (let i = 0; performance.now() < end; i++) sum += Math.sqrt(i) % 7;
    return sum;
  }
  const roots = cpuProfiledFunction('wrapped', sumRoots, { dir, onProfile: (report) => reports.push(report) });
  assert.ok((await roots(100)) > 0);
  assert.equal(reports.length, 1);
  assert.ok(reports[0]?.summary.top.some((fn) => fn.functionName === 'sumRoots'), JSON.stringify(reports[0]?.summary));
  const outer = cpuProfile('outer', () => roots(50), { dir });
  assert.ok((await outer).result > 0);
  assert.equal(reports.length, 1);
});
