import { z } from 'zod';
import type { Redis } from '../db/createRedis.ts';
import { timeDependency } from '../dependencyTime.ts';
import type { Logger } from '../logger.ts';
import { catalogItemSchema, topIdsSchema, type CatalogItem } from './catalogClient.ts';
import type { CacheName, RecommendationMetrics } from './recommendationMetrics.ts';

/** A cached value: fresh within the TTL, stale after it (kept only for when the catalog is down). */
export type Cached<T> = { state: 'fresh' | 'stale'; value: T } | { state: 'miss' };

interface Entry<T> {
  value: T;
  /** Milliseconds since the epoch. */
  fetchedAt: number;
}

export interface CatalogCacheOptions {
  ttlSeconds: number;
  /** How long a copy is kept in Redis at all: the stale window. */
  staleTtlSeconds: number;
  now: () => number;
  logger: Logger;
  metrics: RecommendationMetrics;
}

const KEYS: Record<CacheName, string> = { top: 'catalog:top:', item: 'catalog:item:' };

/** Entries as #setMany writes them, with the value's own schema: anything else read back is a miss. */
const TOP_ENTRY: z.ZodType<Entry<string[]>> = z.object({ value: topIdsSchema, fetchedAt: z.number() });
const ITEM_ENTRY: z.ZodType<Entry<CatalogItem>> = z.object({ value: catalogItemSchema, fetchedAt: z.number() });

/**
 * Catalog data in Redis: top item ids per tag and item details, one round-trip per lookup or write however many
 * keys (MGET, pipelined SET). Each entry carries its fetch time and lives for the stale TTL, so one key serves both
 * the fresh answer and the fallback. Entries are validated when read back (an entry written by an older version,
 * or garbage, is a miss, not a 500). Redis failures are swallowed (a cache must not take the service down),
 * counted, and logged once per outage.
 */
export class CatalogCache {
  readonly #redis: Redis;
  readonly #options: CatalogCacheOptions;
  #failing = false;

  constructor(redis: Redis, options: CatalogCacheOptions) {
    this.#redis = redis;
    this.#options = options;
  }

  getTop(tags: readonly string[]): Promise<Cached<string[]>[]> {
    return this.#getMany('top', tags, TOP_ENTRY);
  }

  setTop(entries: ReadonlyMap<string, string[]>): Promise<void> {
    return this.#setMany('top', [...entries]);
  }

  getItems(ids: readonly string[]): Promise<Cached<CatalogItem>[]> {
    return this.#getMany('item', ids, ITEM_ENTRY);
  }

  setItems(items: readonly CatalogItem[]): Promise<void> {
    return this.#setMany('item', items.map((item) => [item.id, item]));
  }

  async #getMany<T>(cacheName: CacheName, names: readonly string[], entrySchema: z.ZodType<Entry<T>>): Promise<Cached<T>[]> {
    if (names.length === 0) return [];
    const metrics = this.#options.metrics;
    let raw: (string | null)[];
    try {
      raw = await timeDependency('redis', () => this.#redis.mget(names.map((name) => KEYS[cacheName] + name)));
      this.#recovered();
    } catch (error) {
      this.#failed(error);
      metrics.cacheRequests(cacheName, 'error', names.length);
      return names.map(() => ({ state: 'miss' }));
    }
    const freshAfter = this.#options.now() - this.#options.ttlSeconds * 1000;
    const found = raw.map((text): Cached<T> => {
      const entry = text === null ? undefined : parseEntry(entrySchema, text);
      if (entry === undefined) return { state: 'miss' };
      return { state: entry.fetchedAt > freshAfter ? 'fresh' : 'stale', value: entry.value };
    });
    for (const [state, result] of [['fresh', 'hit'], ['stale', 'stale'], ['miss', 'miss']] as const) {
      metrics.cacheRequests(cacheName, result, found.filter((cached) => cached.state === state).length);
    }
    return found;
  }

  async #setMany<T>(cacheName: CacheName, entries: readonly (readonly [string, T])[]): Promise<void> {
    if (entries.length === 0) return;
    const fetchedAt = this.#options.now();
    const pipeline = this.#redis.pipeline();
    for (const [name, value] of entries) {
      pipeline.set(KEYS[cacheName] + name, JSON.stringify({ value, fetchedAt } satisfies Entry<T>), 'EX', this.#options.staleTtlSeconds);
    }
    try {
      const results = await timeDependency('redis', () => pipeline.exec());
      const failure = results?.find(([error]) => error !== null)?.[0];
      if (failure) throw failure;
      this.#recovered();
    } catch (error) {
      this.#failed(error);
    }
  }

  #failed(error: unknown): void {
    if (this.#failing) return;
    this.#failing = true;
    this.#options.logger.warn({ err: error }, 'recommendation cache unavailable; serving from the catalog until Redis is back');
  }

  #recovered(): void {
    if (!this.#failing) return;
    this.#failing = false;
    this.#options.logger.info('recommendation cache available again');
  }
}

function parseEntry<T>(schema: z.ZodType<Entry<T>>, text: string): Entry<T> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const entry = schema.safeParse(json);
  return entry.success ? entry.data : undefined;
}
