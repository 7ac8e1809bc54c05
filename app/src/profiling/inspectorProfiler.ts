import { Session, type Profiler, type HeapProfiler } from 'node:inspector/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '../errors.ts';

export type CpuProfile = Profiler.Profile;
export type HeapProfile = HeapProfiler.SamplingHeapProfile;

export interface CpuProfileOptions {
  /** Time between two CPU samples, in microseconds. @default 1000 */
  samplingIntervalUs?: number;
}

export interface HeapProfileOptions {
  /** Average number of bytes allocated between two heap samples. @default 32768 */
  samplingIntervalBytes?: number;
  /**
   * Keep objects that were garbage-collected before the profile stopped: the profile then shows every allocation
   * (how much a request allocates) instead of only the memory still live. @default false
   */
  includeCollected?: boolean;
}

/** Thrown when a profile of the same kind is already being recorded in this process (V8 records one at a time). */
export class ProfilerBusyError extends ConflictError {
  override name = 'ProfilerBusyError';
  constructor(kind: 'cpu' | 'heap') {
    super('profiler_busy', `A ${kind} profile is already being recorded; try again when it is done`);
  }
}

const busy = { cpu: false, heap: false };

/**
 * Records a V8 CPU profile (the format Chrome DevTools and speedscope open as `.cpuprofile`) while `fn` runs.
 * One CPU profile at a time per process: a second concurrent call throws ProfilerBusyError.
 *
 * @example
 *   const { result, profile } = await recordCpuProfile(() => renderReport());
 */
export async function recordCpuProfile<T>(fn: () => Promise<T> | T, options: CpuProfileOptions = {}): Promise<{ result: T; profile: CpuProfile }> {
  return withExclusiveSession('cpu', async (session) => {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: options.samplingIntervalUs ?? 1000 });
    await session.post('Profiler.start');
    const result = await fn();
    const { profile } = await session.post('Profiler.stop');
    return { result, profile };
  });
}

/**
 * Records V8's sampling heap profile (the `.heapprofile` format of Chrome DevTools) while `fn` runs: where the
 * memory still live at the end was allocated. One heap profile at a time per process.
 *
 * @example
 *   const { profile } = await recordHeapProfile(() => buildIndex(rows));
 */
export async function recordHeapProfile<T>(fn: () => Promise<T> | T, options: HeapProfileOptions = {}): Promise<{ result: T; profile: HeapProfile }> {
  return withExclusiveSession('heap', async (session) => {
    await session.post('HeapProfiler.enable');
    const includeCollected = options.includeCollected ?? false;
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: options.samplingIntervalBytes ?? 32_768,
      includeObjectsCollectedByMajorGC: includeCollected,
      includeObjectsCollectedByMinorGC: includeCollected,
    });
    const result = await fn();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    return { result, profile };
  });
}

export interface CaptureOptions {
  /**
   * Cancels the capture: the profiler stops at once (its inspector session is disconnected), the profiler is free
   * again, and the capture rejects with an `AbortError`. Used on shutdown and when the client asking for it is gone.
   */
  signal?: AbortSignal;
}

/** A CPU profile of whatever the process does during the next `durationMs` (live profiling, automatic capture). */
export async function captureCpuProfile(durationMs: number, options: CpuProfileOptions & CaptureOptions = {}): Promise<CpuProfile> {
  options.signal?.throwIfAborted();
  return (await recordCpuProfile(() => waitFor(durationMs, options.signal), options)).profile;
}

/** A sampling heap profile of the process over the next `durationMs`; cancellable like captureCpuProfile(). */
export async function captureHeapProfile(durationMs: number, options: HeapProfileOptions & CaptureOptions = {}): Promise<HeapProfile> {
  options.signal?.throwIfAborted();
  return (await recordHeapProfile(() => waitFor(durationMs, options.signal), options)).profile;
}

/** Whether `error` is the rejection of a cancelled capture (node's AbortError, or the signal's own DOMException). */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Whether a profile of this kind is being recorded now (for callers that skip rather than fail, like auto capture). */
export function isProfiling(kind: 'cpu' | 'heap'): boolean {
  return busy[kind];
}

/** Disconnecting the session also stops a profile left running when `fn` throws. */
async function withExclusiveSession<T>(kind: 'cpu' | 'heap', fn: (session: Session) => Promise<T>): Promise<T> {
  if (busy[kind]) throw new ProfilerBusyError(kind);
  busy[kind] = true;
  const session = new Session();
  session.connect();
  try {
    return await fn(session);
  } finally {
    session.disconnect();
    busy[kind] = false;
  }
}

/** Rejects with an AbortError as soon as `signal` aborts; withExclusiveSession() then disconnects the profiler. */
async function waitFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await sleep(ms, undefined, signal === undefined ? {} : { signal });
}
