/**
 * Concurrent calls for the same key share one in-flight promise: when many requests miss the cache for the same
 * catalog data at once, the catalog is asked once, not once per request. The key is forgotten when the call
 * settles, so nothing is cached here (that is the Redis cache's job) and a failure is not replayed later.
 */
export class SingleFlight {
  readonly #inFlight = new Map<string, Promise<unknown>>();

  /** The in-flight promise for `key`, or `fn()`'s if none; callers of one key must expect the same type. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.#inFlight.get(key);
    if (running !== undefined) return running as Promise<T>;
    const started = fn().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, started);
    return started;
  }
}
