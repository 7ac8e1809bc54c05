import { setTimeout as sleep } from 'node:timers/promises';

/** Time and chance, injected so that retry, backoff and breaker tests need no real time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms`; rejects with an AbortError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export const systemClock: Clock = {
  now: Date.now,
  sleep: async (ms, signal) => void (await sleep(ms, undefined, { signal })),
  random: Math.random,
};
