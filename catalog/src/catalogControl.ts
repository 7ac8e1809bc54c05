import { CATALOG_ENDPOINTS, DEFAULT_KNOBS, type CatalogEndpoint, type Knobs, type KnobsPatch } from './knobs.ts';

/** Requests received per endpoint, answered or not, and how many were turned away by each fault. */
export interface CallCounts {
  calls: Record<CatalogEndpoint | 'healthz', number>;
  rejected: { rateLimited: number; serverError: number; down: number };
}

/** What the stand-in does with one request, decided before it is answered. */
export type Fault =
  | { kind: 'down' }
  | { kind: 'rateLimited'; retryAfterSeconds: number }
  | { kind: 'serverError' }
  | { kind: 'none' };

/**
 * The stand-in's run-time state: its knobs, its call counters and its rate-limit window. Tests hold it directly
 * (`startCatalog().control`); everyone else reaches it through `GET/PUT /control`.
 */
export class CatalogControl {
  #knobs: Knobs;
  #counts: CallCounts = emptyCounts();
  #windowStart = 0;
  #windowCount = 0;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(knobs: Partial<Knobs>, random: () => number, now: () => number = Date.now) {
    this.#knobs = { ...DEFAULT_KNOBS, ...knobs };
    this.#random = random;
    this.#now = now;
  }

  get knobs(): Knobs {
    return structuredClone(this.#knobs);
  }

  get counts(): CallCounts {
    return structuredClone(this.#counts);
  }

  /** Changes the given knobs only; `endpointLatencyMs` is merged per endpoint. */
  set(patch: KnobsPatch): void {
    const { resetCalls, endpointLatencyMs, ...rest } = patch;
    const changed = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Partial<Knobs>;
    this.#knobs = { ...this.#knobs, ...changed, endpointLatencyMs: { ...this.#knobs.endpointLatencyMs, ...endpointLatencyMs } };
    if (resetCalls === true) this.resetCalls();
  }

  resetCalls(): void {
    this.#counts = emptyCounts();
  }

  latencyFor(endpoint: CatalogEndpoint): number {
    return this.#knobs.endpointLatencyMs[endpoint] ?? this.#knobs.latencyMs;
  }

  /** Counts a request and decides its fault: down first, then the rate limit, then the error rate. */
  admit(endpoint: CatalogEndpoint | 'healthz'): Fault {
    this.#counts.calls[endpoint] += 1;
    const fault = this.#decide(endpoint);
    if (fault.kind !== 'none') this.#counts.rejected[fault.kind] += 1;
    return fault;
  }

  #decide(endpoint: CatalogEndpoint | 'healthz'): Fault {
    if (this.#knobs.down) return { kind: 'down' };
    if (endpoint === 'healthz') return { kind: 'none' };
    const limit = this.#knobs.rateLimitRps;
    if (limit > 0) {
      const now = this.#now();
      if (now - this.#windowStart >= 1000) {
        this.#windowStart = now;
        this.#windowCount = 0;
      }
      if (this.#windowCount >= limit) {
        return { kind: 'rateLimited', retryAfterSeconds: Math.max(1, Math.ceil((this.#windowStart + 1000 - now) / 1000)) };
      }
      this.#windowCount += 1;
    }
    if (this.#knobs.errorRate > 0 && this.#random() < this.#knobs.errorRate) return { kind: 'serverError' };
    return { kind: 'none' };
  }
}

function emptyCounts(): CallCounts {
  const calls = Object.fromEntries([...CATALOG_ENDPOINTS, 'healthz'].map((name) => [name, 0])) as CallCounts['calls'];
  return { calls, rejected: { rateLimited: 0, serverError: 0, down: 0 } };
}
