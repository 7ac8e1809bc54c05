import type { Config } from '../config.ts';
import type { Redis } from '../db/createRedis.ts';
import type { Logger } from '../logger.ts';
import { CatalogCache } from './catalogCache.ts';
import { CatalogClient } from './catalogClient.ts';
import { CatalogHttp } from './catalogHttp.ts';
import { BREAKER_STATE_VALUE, CircuitBreaker } from './circuitBreaker.ts';
import { systemClock, type Clock } from './clock.ts';
import { Deadline } from './deadline.ts';
import type { RecommendationProvider } from './recommendation.ts';
import { createRecommendationMetrics } from './recommendationMetrics.ts';
import { RecommendationService } from './recommendationService.ts';
import { RetryBudget } from './retryBudget.ts';

export interface RecommendationDependencies {
  redis: Redis;
  logger: Logger;
  /** The user's most used task tags, most used first. */
  topTags(userId: number, limit: number): Promise<string[]>;
  /** @default globalThis.fetch (the one telemetry instruments) */
  fetch?: typeof fetch;
  /** @default the system clock */
  clock?: Clock;
}

/** Wires the recommendation service: catalog client with its breaker and retry budget, Redis cache, metrics. */
export function createRecommendationService(config: Config, deps: RecommendationDependencies): RecommendationProvider {
  const clock = deps.clock ?? systemClock;
  const metrics = createRecommendationMetrics();
  const breaker = new CircuitBreaker({ threshold: config.CATALOG_BREAKER_THRESHOLD, cooldownMs: config.CATALOG_BREAKER_COOLDOWN_MS, now: clock.now });
  metrics.observeBreakerState(() => BREAKER_STATE_VALUE[breaker.state]);
  const http = new CatalogHttp({
    baseUrl: config.CATALOG_URL.replace(/\/+$/, ''),
    // Looked up per call, so instrumentation that wraps the global fetch later still sees these calls.
    fetch: deps.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: config.CATALOG_TIMEOUT_MS,
    maxAttempts: config.CATALOG_MAX_ATTEMPTS,
    backoffBaseMs: config.CATALOG_BACKOFF_BASE_MS,
    backoffMaxMs: config.CATALOG_BACKOFF_MAX_MS,
    maxResponseBytes: config.CATALOG_MAX_RESPONSE_BYTES,
    breaker,
    budget: new RetryBudget(),
    clock,
    metrics,
  });
  const cache = new CatalogCache(deps.redis, {
    ttlSeconds: config.CACHE_TTL_SECONDS,
    staleTtlSeconds: config.CACHE_STALE_TTL_SECONDS,
    now: clock.now,
    logger: deps.logger,
    metrics,
  });
  return new RecommendationService({
    catalog: new CatalogClient(http),
    cache,
    metrics,
    logger: deps.logger,
    topTags: deps.topTags,
    startDeadline: () => new Deadline(config.CATALOG_DEADLINE_MS, clock.now),
  });
}
