import { Redis } from 'ioredis';

export type { Redis };

/**
 * A Redis client that fails fast while Redis is down (no offline queue, one try per command, short timeouts)
 * and keeps reconnecting in the background, so a cache outage costs a few milliseconds per request, not a hang.
 */
export function createRedis(url: string, keyPrefix: string): Redis {
  const redis = new Redis(url, {
    keyPrefix,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Connection errors are reported by failing commands and /readyz; without a listener ioredis would log each one.
  redis.on('error', () => {});
  return redis;
}
