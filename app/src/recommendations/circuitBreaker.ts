export type BreakerState = 'closed' | 'half-open' | 'open';

/** The value of the `app_catalog_breaker_state` gauge per state. */
export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. */
  threshold: number;
  /** How long it stays open before letting one trial call through. */
  cooldownMs: number;
  /** Injected clock, in milliseconds. @default Date.now */
  now?: () => number;
}

/**
 * Closed: calls go through, failures are counted. Open (after `threshold` consecutive failures): calls are refused
 * at once for `cooldownMs`, so a dead upstream costs nothing and gets room to recover. Half-open: one trial call;
 * its success closes the breaker, its failure opens it again.
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  #failures = 0;
  #openedAt: number | undefined;
  #trialInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    this.#threshold = options.threshold;
    this.#cooldownMs = options.cooldownMs;
    this.#now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.#openedAt === undefined) return 'closed';
    return this.#now() - this.#openedAt >= this.#cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go out now. Every allowed call must be followed by `onSuccess()` or `onFailure()`. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
    this.#trialInFlight = false;
  }

  onFailure(): void {
    this.#failures += 1;
    if (this.#trialInFlight || this.#failures >= this.#threshold) this.#openedAt = this.#now();
    this.#trialInFlight = false;
  }
}
