import { appMeter } from '../appMeter.ts';
import { memoized } from '../memoized.ts';
import type { RecommendationSource } from './recommendation.ts';

export type CatalogEndpoint = 'top' | 'items';
/** How one catalog HTTP attempt ended. */
export type AttemptOutcome = 'success' | 'rate_limited' | 'server_error' | 'client_error' | 'timeout' | 'network_error';
export type RetryReason = Exclude<AttemptOutcome, 'success' | 'client_error'>;
export type CacheName = 'top' | 'item';
export type CacheResult = 'hit' | 'miss' | 'stale' | 'error';

/** The recommendation domain's metrics (names as in docs/METRICS.md); every instrument is created here. */
export interface RecommendationMetrics {
  catalogAttempt(endpoint: CatalogEndpoint, outcome: AttemptOutcome, seconds: number, bodyBytes: number | undefined): void;
  catalogRetry(endpoint: CatalogEndpoint, reason: RetryReason): void;
  breakerRejection(endpoint: CatalogEndpoint): void;
  /** Reports the breaker state (0 closed, 1 half-open, 2 open) at each collection. */
  observeBreakerState(read: () => number): void;
  cacheRequests(cacheName: CacheName, result: CacheResult, count: number): void;
  served(source: RecommendationSource): void;
}

const SIZE_BUCKETS = [256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576];

/** Creates the instruments on the meter registered by now (no-ops without an SDK). */
export function createRecommendationMetrics(): RecommendationMetrics {
  const meter = appMeter();
  const served = meter.createCounter('app.recommendations.served', { description: 'Recommendation responses by where their data came from' });
  const cacheRequests = meter.createCounter('app.cache.requests', { description: 'Recommendation cache lookups, one per key' });
  const duration = meter.createHistogram('app.catalog.request.duration', { unit: 's', description: 'Duration of one catalog HTTP attempt' });
  const size = meter.createHistogram('app.catalog.response.size', {
    unit: 'By',
    description: 'Size of catalog response bodies',
    advice: { explicitBucketBoundaries: SIZE_BUCKETS },
  });
  const retries = meter.createCounter('app.catalog.retries', { description: 'Catalog attempts retried, by the failure that caused them' });
  const rejections = meter.createCounter('app.catalog.breaker.rejections', { description: 'Catalog calls refused by the open circuit breaker' });
  const breakerState = meter.createObservableGauge('app.catalog.breaker.state', { description: 'Catalog circuit breaker: 0 closed, 1 half-open, 2 open' });
  // One attribute object per combination of these enum values, reused by every record.
  const byEndpoint = memoized((endpoint: CatalogEndpoint) => ({ 'catalog.endpoint': endpoint }));
  const byAttempt = memoized((endpoint: CatalogEndpoint, outcome: AttemptOutcome) => ({ 'catalog.endpoint': endpoint, outcome }));
  const byRetry = memoized((endpoint: CatalogEndpoint, reason: RetryReason) => ({ 'catalog.endpoint': endpoint, reason }));
  const byLookup = memoized((cacheName: CacheName, result: CacheResult) => ({ 'cache.name': cacheName, result }));
  const bySource = memoized((source: RecommendationSource) => ({ source }));
  return {
    catalogAttempt(endpoint, outcome, seconds, bodyBytes) {
      duration.record(seconds, byAttempt(endpoint, outcome));
      if (bodyBytes !== undefined) size.record(bodyBytes, byEndpoint(endpoint));
    },
    catalogRetry: (endpoint, reason) => retries.add(1, byRetry(endpoint, reason)),
    breakerRejection: (endpoint) => rejections.add(1, byEndpoint(endpoint)),
    observeBreakerState: (read) => breakerState.addCallback((result) => result.observe(read())),
    cacheRequests(cacheName, result, count) {
      if (count > 0) cacheRequests.add(count, byLookup(cacheName, result));
    },
    served: (source) => served.add(1, bySource(source)),
  };
}
