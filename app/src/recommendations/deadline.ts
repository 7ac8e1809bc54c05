/**
 * The time one recommendation request may spend on the catalog, shared by every call, attempt and backoff wait it
 * makes: `signal` aborts whatever is in flight when the time is up, and `remainingMs()` lets the retry loop refuse
 * to start a wait that would end past it (a signal alone cannot say when it will fire).
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly #endsAt: number;
  readonly #now: () => number;

  /** @param now the clock `remainingMs()` reads; the signal itself always fires after `ms` of real time */
  constructor(ms: number, now: () => number) {
    // AbortSignal.timeout's timer is unref'd: a deadline never keeps the process alive.
    this.signal = AbortSignal.timeout(ms);
    this.#endsAt = now() + ms;
    this.#now = now;
  }

  /** 0 once the signal has fired, whatever the clock says. */
  remainingMs(): number {
    if (this.signal.aborted) return 0;
    return Math.max(0, this.#endsAt - this.#now());
  }
}
