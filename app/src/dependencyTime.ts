import { AsyncLocalStorage } from 'node:async_hooks';

export const DEPENDENCY_KINDS = ['postgres', 'redis', 'catalog'] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];

/** Milliseconds one request has spent waiting on each dependency so far. */
export type DependencyTimes = Record<DependencyKind, number>;

/**
 * Per kind: the time of finished busy periods, how many calls are in flight, and since when the kind has been busy.
 * Calls of one kind that overlap (parallel queries, a pool wait around a query) form one busy period, so the tally
 * is wall-clock time spent waiting on that dependency, never more than the request's own duration.
 */
interface Tally {
  finishedMs: DependencyTimes;
  inFlight: DependencyTimes;
  busySince: DependencyTimes;
}

const storage = new AsyncLocalStorage<Tally>();
const zeros = (): DependencyTimes => ({ postgres: 0, redis: 0, catalog: 0 });

/**
 * Runs `fn` (a request) with its own dependency-time tally, readable inside with `currentDependencyTimes()` and from
 * anywhere (a response's `close` listener) with the `readTimes` function `fn` receives.
 */
export function withDependencyTimes<T>(fn: (readTimes: () => DependencyTimes) => T): T {
  const tally: Tally = { finishedMs: zeros(), inFlight: zeros(), busySince: zeros() };
  return storage.run(tally, fn, () => timesOf(tally, performance.now()));
}

/** The current request's tally, calls still in flight counted up to now; undefined outside withDependencyTimes. */
export function currentDependencyTimes(now: number = performance.now()): DependencyTimes | undefined {
  const tally = storage.getStore();
  return tally === undefined ? undefined : timesOf(tally, now);
}

function timesOf(tally: Tally, now: number): DependencyTimes {
  const times = { ...tally.finishedMs };
  for (const kind of DEPENDENCY_KINDS) if (tally.inFlight[kind] > 0) times[kind] += now - tally.busySince[kind];
  return times;
}

/**
 * Marks the start of one call to `kind` in the current request; the returned function marks its end (call it once).
 * For callers that cannot wrap a promise, such as callback-style driver calls. Outside a request it does nothing.
 */
export function startDependencyCall(kind: DependencyKind, now: () => number = () => performance.now()): () => void {
  const tally = storage.getStore();
  if (tally === undefined) return () => {};
  if (tally.inFlight[kind]++ === 0) tally.busySince[kind] = now();
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    if (--tally.inFlight[kind] === 0) tally.finishedMs[kind] += now() - tally.busySince[kind];
  };
}

/** Adds the time `fn` takes to the current request's tally for `kind`; outside a request it only runs `fn`. */
export async function timeDependency<T>(kind: DependencyKind, fn: () => Promise<T>): Promise<T> {
  const end = startDependencyCall(kind);
  try {
    return await fn();
  } finally {
    end();
  }
}
