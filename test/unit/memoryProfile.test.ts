import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import type { HeapProfile } from '../../app/src/profiling/inspectorProfiler.ts';
import { memoryProfile } from '../../app/src/profiling/memoryProfile.ts';

const dir = await mkdtemp(join(tmpdir(), 'memory-profile-test-'));
after(() => rm(dir, { recursive: true, force: true }));

const kept: object[] = [];
function buildRecords(count: number): number {
  for (let i = 0; i < count; i++) kept.push({ id: i, title: `task number ${i}`, tags: ['a', 'b', String(i)] });
  return kept.length;
}

test('an allocating function is the top allocation site of its heap profile, and the heap grew', async () => {
  const { result, file, summary } = await memoryProfile('records', () => buildRecords(100_000), { dir, samplingIntervalBytes: 4096 });
  assert.equal(result, 100_000);
  assert.equal(summary.top[0]?.functionName, 'buildRecords');
  assert.match(summary.top[0].location, /test\/unit\/memoryProfile\.test\.ts:\d+$/);
  assert.ok(summary.top[0].bytes > 1_000_000, `${summary.top[0].bytes} bytes`);
  assert.ok(summary.heapUsedDeltaBytes > 1_000_000, `delta ${summary.heapUsedDeltaBytes}`);
  assert.ok(summary.heapUsedPeakBytes >= summary.heapUsedAfterBytes && summary.heapUsedPeakBytes >= summary.heapUsedBeforeBytes);
  assert.ok(summary.rssAfterBytes > 0);
  assert.match(basename(file), /^records-.*\.heapprofile$/);
  const written = JSON.parse(await readFile(file, 'utf8')) as HeapProfile;
  assert.equal(written.head.callFrame.functionName, '(root)');
});

test('the peak of an async function is seen while it runs, even when its memory is freed before the end', async () => {
  let temporary: number[][] | undefined;
  const { summary } = await memoryProfile('temporary', async () => {
    temporary = Array.from({ length: 200 }, (_, i) => new Array(10_000).fill(i));
    await new Promise((resolve) => setTimeout(resolve, 60));
    temporary = undefined;
  }, { dir, pollIntervalMs: 5 });
  assert.equal(temporary, undefined);
  assert.ok(summary.heapUsedPeakBytes - summary.heapUsedBeforeBytes > 10_000_000, `peak +${summary.heapUsedPeakBytes - summary.heapUsedBeforeBytes}`);
});
