import { AsyncLocalStorage } from 'node:async_hooks';

export type DependencyKind = 'postgres' | 'redis' | 'catalog';

/** Milliseconds one request has spent waiting on each dependency so far. */
export type DependencyTimes = Record<DependencyKind, number>;

const storage = new AsyncLocalStorage<DependencyTimes>();

/** Runs `fn` (a request) with its own dependency-time tally, readable with `currentDependencyTimes()`. */
export function withDependencyTimes<T>(fn: () => T): T {
  return storage.run({ postgres: 0, redis: 0, catalog: 0 }, fn);
}

export function currentDependencyTimes(): DependencyTimes | undefined {
  return storage.getStore();
}

/** Adds the time `fn` takes to the current request's tally for `kind`; outside a request it only runs `fn`. */
export async function timeDependency<T>(kind: DependencyKind, fn: () => Promise<T>): Promise<T> {
  const times = storage.getStore();
  if (times === undefined) return fn();
  const start = performance.now();
  try {
    return await fn();
  } finally {
    times[kind] += performance.now() - start;
  }
}
