import { getHeapStatistics } from 'node:v8';
import { recordHeapProfile, type HeapProfileOptions } from './inspectorProfiler.ts';
import { defaultProfileDir, writeProfileFile } from './profileFile.ts';
import { summarizeHeapProfile, type HeapProfileSummary } from './summarizeHeapProfile.ts';

export interface MemoryProfileOptions extends HeapProfileOptions {
  /** Directory of the `.heapprofile` file. @default PROFILE_DIR or `profiles` */
  dir?: string;
  /** How many allocation sites the summary lists. @default 10 */
  top?: number;
  /** How often the heap is sampled for its peak while an async `fn` runs. @default 10 */
  pollIntervalMs?: number;
}

export interface MemoryProfileSummary extends HeapProfileSummary {
  heapUsedBeforeBytes: number;
  heapUsedAfterBytes: number;
  /** The largest heap seen: before, after, and every poll in between (a sync `fn` is only seen at its ends). */
  heapUsedPeakBytes: number;
  heapUsedDeltaBytes: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
}

/**
 * Runs `fn` under V8's sampling heap profiler (the role of Python's tracemalloc): heap used before, after and at
 * its peak, and the top allocation sites of memory still live at the end, written to
 * `<dir>/<name>-<timestamp>.heapprofile` (Chrome DevTools → Memory → Load). One heap profile at a time per process.
 *
 * @example
 *   const { summary } = await memoryProfile('import', () => importCsv(path));
 *   console.log(summary.heapUsedDeltaBytes, summary.top[0]);
 */
export async function memoryProfile<T>(
  name: string,
  fn: () => Promise<T> | T,
  options: MemoryProfileOptions = {},
): Promise<{ result: T; file: string; summary: MemoryProfileSummary }> {
  const rssBeforeBytes = process.memoryUsage.rss();
  const heapUsedBeforeBytes = heapUsed();
  let heapUsedPeakBytes = heapUsedBeforeBytes;
  const poll = setInterval(() => (heapUsedPeakBytes = Math.max(heapUsedPeakBytes, heapUsed())), options.pollIntervalMs ?? 10);
  let recorded;
  try {
    recorded = await recordHeapProfile(fn, options);
  } finally {
    clearInterval(poll);
  }
  const heapUsedAfterBytes = heapUsed();
  const file = await writeProfileFile(options.dir ?? defaultProfileDir(), name, 'heapprofile', recorded.profile);
  const summary = {
    heapUsedBeforeBytes,
    heapUsedAfterBytes,
    heapUsedPeakBytes: Math.max(heapUsedPeakBytes, heapUsedAfterBytes),
    heapUsedDeltaBytes: heapUsedAfterBytes - heapUsedBeforeBytes,
    rssBeforeBytes,
    rssAfterBytes: process.memoryUsage.rss(),
    ...summarizeHeapProfile(recorded.profile, options.top),
  };
  return { result: recorded.result, file, summary };
}

function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}
