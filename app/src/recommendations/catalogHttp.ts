import type { z } from 'zod';
import { timeDependency } from '../dependencyTime.ts';
import { retryDelay, parseRetryAfter } from './backoff.ts';
import { CatalogRequestError, CatalogUnavailableError } from './catalogErrors.ts';
import type { CircuitBreaker } from './circuitBreaker.ts';
import type { Clock } from './clock.ts';
import type { AttemptOutcome, CatalogEndpoint, RecommendationMetrics } from './recommendationMetrics.ts';
import type { RetryBudget } from './retryBudget.ts';

export interface CatalogHttpOptions {
  baseUrl: string;
  /** Injected so tests can swap it; the global one is what telemetry instruments. */
  fetch: typeof fetch;
  /** Timeout of one attempt, body included. */
  timeoutMs: number;
  /** Attempts per call, the first included. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  breaker: CircuitBreaker;
  budget: RetryBudget;
  clock: Clock;
  metrics: RecommendationMetrics;
}

type Attempt = { outcome: 'success'; body: unknown } | { outcome: Exclude<AttemptOutcome, 'success'>; retryAfterMs?: number; message: string };

/**
 * GETs JSON from the catalog with the resilience a remote API needs: a timeout per attempt, retries with full-jitter
 * backoff on 429, 5xx, timeouts and network errors (honouring Retry-After), a retry budget, and a circuit breaker.
 */
export class CatalogHttp {
  readonly #options: CatalogHttpOptions;

  constructor(options: CatalogHttpOptions) {
    this.#options = options;
  }

  /** Throws CatalogUnavailableError when no attempt succeeded, CatalogRequestError on a 4xx other than 429. */
  async get<Schema extends z.ZodType>(endpoint: CatalogEndpoint, path: string, schema: Schema): Promise<z.infer<Schema>> {
    const { breaker, budget, clock, metrics, maxAttempts } = this.#options;
    budget.recordCall();
    for (let attempt = 1; ; attempt++) {
      if (!breaker.tryAcquire()) {
        metrics.breakerRejection(endpoint);
        throw new CatalogUnavailableError(`catalog ${endpoint}: circuit breaker open`);
      }
      const result = await this.#attempt(endpoint, path, schema);
      if (result.outcome === 'success') {
        breaker.onSuccess();
        return result.body as z.infer<Schema>;
      }
      // A 4xx or 429 is an answer from a live catalog: it does not count towards opening the breaker.
      if (result.outcome === 'client_error' || result.outcome === 'rate_limited') breaker.onSuccess();
      else breaker.onFailure();
      if (result.outcome === 'client_error') throw new CatalogRequestError(`catalog ${endpoint}: ${result.message}`);
      if (attempt >= maxAttempts) throw new CatalogUnavailableError(`catalog ${endpoint}: ${result.message} (${attempt} attempts)`);
      if (!budget.tryRetry()) throw new CatalogUnavailableError(`catalog ${endpoint}: ${result.message} (retry budget spent)`);
      metrics.catalogRetry(endpoint, result.outcome);
      await clock.sleep(retryDelay(attempt - 1, result.retryAfterMs, this.#options.backoffBaseMs, this.#options.backoffMaxMs, clock.random));
    }
  }

  async #attempt(endpoint: CatalogEndpoint, path: string, schema: z.ZodType): Promise<Attempt> {
    const start = performance.now();
    let attempt: Attempt;
    let bodyBytes: number | undefined;
    try {
      const { response, text } = await timeDependency('catalog', async () => {
        const response = await this.#options.fetch(this.#options.baseUrl + path, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(this.#options.timeoutMs),
        });
        return { response, text: await response.text() };
      });
      bodyBytes = Buffer.byteLength(text);
      attempt = this.#interpret(response, text, schema);
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      attempt = { outcome: timedOut ? 'timeout' : 'network_error', message: error instanceof Error ? error.message : String(error) };
    }
    this.#options.metrics.catalogAttempt(endpoint, attempt.outcome, (performance.now() - start) / 1000, bodyBytes);
    return attempt;
  }

  #interpret(response: Response, text: string, schema: z.ZodType): Attempt {
    const status = response.status;
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#options.clock.now());
      return { outcome: 'rate_limited', message: 'HTTP 429', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    if (status >= 500) return { outcome: 'server_error', message: `HTTP ${status}` };
    if (status >= 400) return { outcome: 'client_error', message: `HTTP ${status}` };
    const body = schema.safeParse(parseJson(text));
    // A 2xx with a body we cannot read is the catalog misbehaving, like a 5xx: worth a retry.
    if (!body.success) return { outcome: 'server_error', message: `HTTP ${status} with an unexpected body` };
    return { outcome: 'success', body: body.data };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
