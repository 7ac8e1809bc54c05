import type { z } from 'zod';
import { timeDependency } from '../dependencyTime.ts';
import { backoffDelay, parseRetryAfter } from './backoff.ts';
import { CatalogRequestError, CatalogUnavailableError } from './catalogErrors.ts';
import type { CircuitBreaker } from './circuitBreaker.ts';
import type { Clock } from './clock.ts';
import type { Deadline } from './deadline.ts';
import { readCappedBody } from './readCappedBody.ts';
import type { AttemptOutcome, CatalogEndpoint, RecommendationMetrics } from './recommendationMetrics.ts';
import type { RetryBudget } from './retryBudget.ts';
import { SingleFlight } from './singleFlight.ts';

export interface CatalogHttpOptions {
  baseUrl: string;
  /** Injected so tests can swap it; the global one is what telemetry instruments. */
  fetch: typeof fetch;
  /** Timeout of one attempt, body included. */
  timeoutMs: number;
  /** Attempts per call, the first included. */
  maxAttempts: number;
  backoffBaseMs: number;
  /** Longest wait between attempts; a Retry-After asking for longer ends the call instead. */
  backoffMaxMs: number;
  /** Largest response body read; a longer one is cut off and counts as a server error. */
  maxResponseBytes: number;
  breaker: CircuitBreaker;
  budget: RetryBudget;
  clock: Clock;
  metrics: RecommendationMetrics;
}

/** One call's limits, set by the request that makes it. */
export interface CatalogCall {
  /** Shared by every attempt and wait of the call (and of the request's other calls). */
  deadline: Deadline;
  /** Fewer attempts than configured, e.g. 1 when a stale copy can answer instead. @default CatalogHttpOptions.maxAttempts */
  maxAttempts?: number;
}

type Attempt = { outcome: 'success'; body: unknown } | { outcome: Exclude<AttemptOutcome, 'success'>; retryAfterMs?: number; message: string };

/**
 * GETs JSON from the catalog with the resilience a remote API needs: a timeout per attempt and a deadline over the
 * whole call, retries with full-jitter backoff on 429, 5xx, timeouts and network errors (honouring Retry-After), a
 * retry budget, a circuit breaker, a capped response body, no redirects, and one shared call for concurrent
 * identical requests.
 */
export class CatalogHttp {
  readonly #options: CatalogHttpOptions;
  readonly #inFlight = new SingleFlight();

  constructor(options: CatalogHttpOptions) {
    this.#options = options;
  }

  /**
   * Throws CatalogUnavailableError when no attempt succeeded, CatalogRequestError on a 4xx other than 429.
   * A caller that joins a call already in flight shares its deadline: deadlines all have the same length and the
   * call in flight started first, so it never outlives the joiner's own.
   */
  get<Schema extends z.ZodType>(endpoint: CatalogEndpoint, path: string, schema: Schema, call: CatalogCall): Promise<z.infer<Schema>> {
    const maxAttempts = Math.min(call.maxAttempts ?? this.#options.maxAttempts, this.#options.maxAttempts);
    // The attempt count is part of the key: a caller without a stale copy must not inherit a one-attempt call.
    return this.#inFlight.run(`${maxAttempts} ${path}`, () => this.#call(endpoint, path, schema, call.deadline, maxAttempts));
  }

  async #call<Schema extends z.ZodType>(endpoint: CatalogEndpoint, path: string, schema: Schema, deadline: Deadline, maxAttempts: number): Promise<z.infer<Schema>> {
    const { breaker, budget, clock, metrics, backoffBaseMs, backoffMaxMs } = this.#options;
    budget.recordCall();
    for (let attempt = 1; ; attempt++) {
      if (deadline.signal.aborted) throw new CatalogUnavailableError(`catalog ${endpoint}: deadline reached before attempt ${attempt}`);
      if (!breaker.tryAcquire()) {
        metrics.breakerRejection(endpoint);
        throw new CatalogUnavailableError(`catalog ${endpoint}: circuit breaker open`);
      }
      const result = await this.#attempt(endpoint, path, schema, deadline.signal);
      if (result.outcome === 'success') {
        breaker.onSuccess();
        return result.body as z.infer<Schema>;
      }
      // A 4xx or 429 is an answer from a live catalog: it does not count towards opening the breaker.
      if (result.outcome === 'client_error' || result.outcome === 'rate_limited') breaker.onSuccess();
      else breaker.onFailure();
      if (result.outcome === 'client_error') throw new CatalogRequestError(`catalog ${endpoint}: ${result.message}`);
      const unavailable = (why: string) => new CatalogUnavailableError(`catalog ${endpoint}: ${result.message} (${why})`);
      if (attempt >= maxAttempts) throw unavailable(`${attempt} attempts`);
      if (result.retryAfterMs !== undefined && result.retryAfterMs > backoffMaxMs) {
        throw unavailable(`Retry-After asks for ${result.retryAfterMs} ms, more than the longest wait of ${backoffMaxMs} ms`);
      }
      const waitMs = result.retryAfterMs ?? backoffDelay(attempt - 1, backoffBaseMs, backoffMaxMs, clock.random);
      if (waitMs >= deadline.remainingMs()) throw unavailable(`a ${waitMs} ms wait would end past the deadline`);
      if (!budget.tryRetry()) throw unavailable('retry budget spent');
      metrics.catalogRetry(endpoint, result.outcome);
      try {
        await clock.sleep(waitMs, deadline.signal);
      } catch {
        throw unavailable('deadline reached while waiting to retry');
      }
    }
  }

  async #attempt(endpoint: CatalogEndpoint, path: string, schema: z.ZodType, deadline: AbortSignal): Promise<Attempt> {
    const start = performance.now();
    let attempt: Attempt;
    let bodyBytes: number | undefined;
    try {
      const { response, text } = await timeDependency('catalog', async () => {
        const response = await this.#options.fetch(this.#options.baseUrl + path, {
          headers: { accept: 'application/json' },
          // A redirect is answered as is (and treated as a server error), never followed to wherever it points.
          redirect: 'manual',
          // Both abort with a TimeoutError: an attempt cut by the request's deadline is a timeout too.
          signal: AbortSignal.any([deadline, AbortSignal.timeout(this.#options.timeoutMs)]),
        });
        return { response, text: await readCappedBody(response, this.#options.maxResponseBytes) };
      });
      if (text !== undefined) bodyBytes = Buffer.byteLength(text);
      attempt = this.#interpret(response, text, schema);
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      attempt = { outcome: timedOut ? 'timeout' : 'network_error', message: error instanceof Error ? error.message : String(error) };
    }
    this.#options.metrics.catalogAttempt(endpoint, attempt.outcome, (performance.now() - start) / 1000, bodyBytes);
    return attempt;
  }

  #interpret(response: Response, text: string | undefined, schema: z.ZodType): Attempt {
    const status = response.status;
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#options.clock.now());
      return { outcome: 'rate_limited', message: 'HTTP 429', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    if (status >= 500) return { outcome: 'server_error', message: `HTTP ${status}` };
    if (status >= 400) return { outcome: 'client_error', message: `HTTP ${status}` };
    if (status >= 300) return { outcome: 'server_error', message: `HTTP ${status} redirect to ${response.headers.get('location')}, not followed` };
    if (text === undefined) return { outcome: 'server_error', message: `HTTP ${status} with a body over ${this.#options.maxResponseBytes} bytes` };
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
