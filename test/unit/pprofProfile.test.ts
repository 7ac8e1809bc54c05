import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { recordCpuProfile, recordHeapProfile, type CpuProfile } from '../../app/src/profiling/inspectorProfiler.ts';
import { cpuProfileToPprof, encodePprof, heapProfileToPprof } from '../../app/src/profiling/pprofProfile.ts';

function spinFibonacci(ms: number): number {
  let total = 0;
  const end = performance.now() + ms;
  const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
  while (performance.now() < end) total += fib(15);
  return total;
}

/** What `go tool pprof` reads back: the gzip-compressed protobuf, decoded by pprof-format itself. */
async function roundTrip(profile: Profile): Promise<{ decoded: Profile; strings: string[]; functionNames: Set<string> }> {
  const encoded = await encodePprof(profile);
  assert.deepEqual([...encoded.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic');
  const decoded = Profile.decode(gunzipSync(encoded));
  const strings = decoded.stringTable.strings;
  return { decoded, strings, functionNames: new Set(decoded.function.map((fn) => strings[Number(fn.name)]!)) };
}

test('a .cpuprofile as pprof decodes back with every sample, the same CPU time and the same function names', async () => {
  const { profile } = await recordCpuProfile(() => spinFibonacci(200), { samplingIntervalUs: 500 });
  const { decoded, strings, functionNames } = await roundTrip(cpuProfileToPprof(profile));

  assert.deepEqual(decoded.sampleType.map((type) => `${strings[Number(type.type)]}/${strings[Number(type.unit)]}`), ['samples/count', 'cpu/nanoseconds']);
  const sampleCount = decoded.sample.reduce((sum, sample) => sum + Number(sample.value[0]), 0);
  assert.equal(sampleCount, profile.samples?.length, 'every V8 sample is counted once');
  const cpuNanos = decoded.sample.reduce((sum, sample) => sum + Number(sample.value[1]), 0);
  // Each sample lasts until the next, the last until the profile ends: together, from the first sample to the end.
  const profiledNanos = (profile.endTime - profile.startTime - (profile.timeDeltas?.[0] ?? 0)) * 1000;
  assert.ok(Math.abs(cpuNanos - profiledNanos) <= 1000, `${cpuNanos} ns in samples, ${profiledNanos} ns from the first sample to the end`);

  const v8Names = new Set(profile.nodes.filter((node) => node.callFrame.functionName !== '(root)').map((node) => node.callFrame.functionName || '(anonymous)'));
  assert.deepEqual(functionNames, v8Names);
  assert.ok(functionNames.has('spinFibonacci') && functionNames.has('fib'));
  // A sample's stack is leaf first and resolves to locations and functions of the profile.
  const locations = new Map(decoded.location.map((location) => [Number(location.id), location]));
  const functions = new Map(decoded.function.map((fn) => [Number(fn.id), fn]));
  const hot = decoded.sample.find((sample) => {
    const leaf = locations.get(Number(sample.locationId[0]))!;
    return strings[Number(functions.get(Number(leaf.line[0]!.functionId))!.name)] === 'fib';
  });
  assert.ok(hot, 'a sample with fib on top');
  const stackNames = hot.locationId.map((id) => strings[Number(functions.get(Number(locations.get(Number(id))!.line[0]!.functionId))!.name)]);
  assert.ok(stackNames.indexOf('spinFibonacci') > 0, stackNames.join(' < '));
});

test('a hand-made .cpuprofile keeps its counts and times per stack, the root left out', async () => {
  const frame = (functionName: string, lineNumber: number) => ({ functionName, url: 'file:///app.js', lineNumber, columnNumber: 0, scriptId: '1' });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', -1), children: [2] },
      { id: 2, callFrame: frame('outer', 0), children: [3] },
      { id: 3, callFrame: frame('inner', 9) },
    ],
    startTime: 0,
    endTime: 4000,
    samples: [2, 3, 3, 3],
    timeDeltas: [0, 1000, 1000, 1000],
  };
  const { decoded, strings } = await roundTrip(cpuProfileToPprof(profile));
  const byLeaf = new Map(decoded.sample.map((sample) => [Number(sample.locationId[0]), { stack: sample.locationId.map(Number), value: sample.value.map(Number) }]));
  assert.deepEqual(byLeaf.get(2), { stack: [2], value: [1, 1_000_000] });
  assert.deepEqual(byLeaf.get(3), { stack: [3, 2], value: [3, 3_000_000] });
  const inner = decoded.function.find((fn) => strings[Number(fn.name)] === 'inner')!;
  assert.equal(Number(inner.startLine), 10, 'pprof lines count from 1');
  assert.equal(Number(decoded.durationNanos), 4_000_000);
});

test('a .heapprofile as pprof decodes back with the same sampled bytes and allocating functions', async () => {
  const kept: number[][] = [];
  function allocateRows(): void {
    for (let i = 0; i < 2000; i += 1) kept.push(new Array(1000).fill(i));
  }
  const { profile } = await recordHeapProfile(allocateRows, { samplingIntervalBytes: 1024 });
  const { decoded, strings, functionNames } = await roundTrip(heapProfileToPprof(profile));
  assert.deepEqual(decoded.sampleType.map((type) => `${strings[Number(type.type)]}/${strings[Number(type.unit)]}`), ['space/bytes']);
  let v8Bytes = 0;
  const walk = (node: typeof profile.head): void => {
    v8Bytes += node.selfSize;
    node.children.forEach(walk);
  };
  walk(profile.head);
  assert.equal(decoded.sample.reduce((sum, sample) => sum + Number(sample.value[0]), 0), v8Bytes);
  assert.ok(functionNames.has('allocateRows'));
  assert.equal(kept.length, 2000);
});
