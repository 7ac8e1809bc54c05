import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalStack, type LocalStack } from '../../stack/local/startLocalStack.ts';
import { createTestDatabase, requireEnv, type TestDatabase } from './testDatabase.ts';

/** Scrape and rule evaluation interval of the faulted stack, in seconds. */
export const SCRAPE_SECONDS = 1;

export interface FaultedLocalStack {
  stack: LocalStack;
  /** When the stack started (ms since the epoch): the start of the range the queries may look at. */
  startedAt: number;
  /** Stops the stack and drops its database. Safe to call twice. */
  stop(): Promise<void>;
}

async function setCatalog(stack: LocalStack, knobs: object): Promise<void> {
  const response = await fetch(`${stack.catalogUrl}/control`, { method: 'PUT', body: JSON.stringify(knobs) });
  assert.equal(response.status, 200, await response.text());
}

/**
 * The local stack under load in its own database, with the catalog stand-in made slow, rate-limited, failing and
 * then down on purpose, so that the latency, 429, retry, breaker, 5xx and alert series exist too: the built app with
 * its telemetry, Prometheus with the project's rules at a 1 s scrape and evaluation interval, alerts with `for: 5s`.
 * Returns about 11 s after the stack is up, with the catalog healthy again (successful calls and cache hits follow).
 */
export async function startFaultedLocalStack(): Promise<FaultedLocalStack> {
  const database: TestDatabase = await createTestDatabase();
  const startedAt = Date.now();
  let stack: LocalStack | undefined;
  const stop = async (): Promise<void> => {
    await stack?.stop();
    await database.drop();
  };
  try {
    stack = await startLocalStack({
      databaseUrl: database.url, redisUrl: requireEnv('REDIS_URL'),
      scrapeInterval: `${SCRAPE_SECONDS}s`, evaluationInterval: `${SCRAPE_SECONDS}s`, alertFor: '5s', alertmanagerGroupWait: '1s',
      load: { rate: 12, users: 3 },
      appEnv: {
        CACHE_TTL_SECONDS: '1', CACHE_STALE_TTL_SECONDS: '2', LOG_LEVEL: 'warn',
        CATALOG_BREAKER_COOLDOWN_MS: '2000', CATALOG_BACKOFF_MAX_MS: '300',
      },
    });
    // Slow (over 500 ms), rate-limited (429) and failing (500) catalog calls: slow requests and retries.
    await setCatalog(stack, { latencyMs: 600, rateLimitRps: 4, errorRate: 0.2 });
    await sleep(6_000);
    // Down: network errors, the breaker opens, and with nothing left in the cache recommendations answer 503.
    await setCatalog(stack, { down: true });
    await sleep(5_000);
    // Healthy again: successful calls and cache hits.
    await setCatalog(stack, { down: false, latencyMs: 0, rateLimitRps: 0, errorRate: 0 });
    return { stack, startedAt, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
