export interface RetryBudgetOptions {
  /** Tokens each call adds; a retry costs one, so retries stay at most this share of calls. @default 0.2 */
  ratio?: number;
  /** Tokens at start and at most: the burst of retries allowed before calls have earned any. @default 10 */
  maxTokens?: number;
}

/**
 * A token bucket that bounds retries to a share of calls (the gRPC retry-throttling idea). When the catalog fails
 * for everyone, retries die out instead of multiplying the load on it by the attempt count.
 */
export class RetryBudget {
  readonly #ratio: number;
  readonly #maxTokens: number;
  #tokens: number;

  constructor(options: RetryBudgetOptions = {}) {
    this.#ratio = options.ratio ?? 0.2;
    this.#maxTokens = options.maxTokens ?? 10;
    this.#tokens = this.#maxTokens;
  }

  get tokens(): number {
    return this.#tokens;
  }

  /** Called once per call (not per attempt). */
  recordCall(): void {
    this.#tokens = Math.min(this.#maxTokens, this.#tokens + this.#ratio);
  }

  /** Takes the token for one retry, or says no when the budget is spent. */
  tryRetry(): boolean {
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
