import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ProfilerBusyError, captureCpuProfile, captureHeapProfile, isAbortError, isProfiling, recordCpuProfile, recordHeapProfile } from '../../app/src/profiling/inspectorProfiler.ts';

function burnCpu(ms: number): number {
  let x = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  return x;
}

test('a CPU profile records the function that ran while it was on', async () => {
  const { result, profile } = await recordCpuProfile(() => burnCpu(100));
  assert.ok(result > 0);
  assert.ok(profile.nodes.some((node) => node.callFrame.functionName === 'burnCpu'));
});

test('a second CPU profile while one runs is refused with a 409 error, and the profiler is free afterwards', async () => {
  const first = captureCpuProfile(100);
  assert.equal(isProfiling('cpu'), true);
  await assert.rejects(captureCpuProfile(10), (error) => error instanceof ProfilerBusyError && error.statusCode === 409);
  await first;
  assert.equal(isProfiling('cpu'), false);
  await captureCpuProfile(10);
});

test('a function that throws frees the profiler and rethrows', async () => {
  await assert.rejects(recordCpuProfile(() => { throw new Error('boom'); }), /boom/);
  assert.equal(isProfiling('cpu'), false);
});

test('a heap profile shows where retained memory was allocated', async () => {
  const kept: number[][] = [];
  function allocateArrays(): void {
    for (let i = 0; i < 2000; i += 1) kept.push(new Array(1000).fill(i));
  }
  const { profile } = await recordHeapProfile(allocateArrays, { samplingIntervalBytes: 1024 });
  const names: string[] = [];
  const walk = (node: typeof profile.head): void => { names.push(node.callFrame.functionName); node.children.forEach(walk); };
  walk(profile.head);
  assert.ok(names.includes('allocateArrays'));
  assert.equal(kept.length, 2000);
});

test('a heap profile that includes collected objects shows allocations that did not survive', async () => {
  function allocateGarbage(): number {
    let total = 0;
    for (let i = 0; i < 2000; i += 1) total += new Array(1000).fill(i).length;
    return total;
  }
  const sampledBytes = (profile: Awaited<ReturnType<typeof recordHeapProfile>>['profile']): number => {
    let sum = 0;
    const walk = (node: typeof profile.head): void => { sum += node.selfSize; node.children.forEach(walk); };
    walk(profile.head);
    return sum;
  };
  const live = await recordHeapProfile(allocateGarbage, { samplingIntervalBytes: 1024 });
  const all = await recordHeapProfile(allocateGarbage, { samplingIntervalBytes: 1024, includeCollected: true });
  assert.ok(sampledBytes(all.profile) > 8_000_000, `${sampledBytes(all.profile)} bytes sampled`);
  assert.ok(sampledBytes(all.profile) > 2 * sampledBytes(live.profile));
});

test('an aborted capture stops the profiler at once, frees it and rejects with an AbortError', async () => {
  for (const capture of [captureCpuProfile, captureHeapProfile]) {
    const controller = new AbortController();
    const started = performance.now();
    const running = capture(30_000, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(running, (error) => isAbortError(error));
    const tookMs = performance.now() - started;
    assert.ok(tookMs < 5_000, `${capture.name} took ${tookMs.toFixed(0)} ms of its 30 s after the abort at 100 ms`);
    assert.equal(isProfiling(capture === captureCpuProfile ? 'cpu' : 'heap'), false);
  }
  // Free again: a new capture runs to its end.
  assert.ok((await captureCpuProfile(20)).nodes.length > 0);
});

test('a capture whose signal is already aborted never starts the profiler', async () => {
  const signal = AbortSignal.abort();
  await assert.rejects(captureCpuProfile(10_000, { signal }), (error) => isAbortError(error));
  assert.equal(isProfiling('cpu'), false);
});
