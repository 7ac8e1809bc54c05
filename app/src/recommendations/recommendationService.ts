import { ServiceUnavailableError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { CatalogCache } from './catalogCache.ts';
import type { CatalogClient, CatalogItem } from './catalogClient.ts';
import type { CatalogCall } from './catalogHttp.ts';
import type { Deadline } from './deadline.ts';
import { timed } from '../profiling/timed.ts';
import { rankItems, type WeightedTag } from './rankItems.ts';
import type { Recommendations, RecommendationProvider } from './recommendation.ts';
import type { RecommendationMetrics } from './recommendationMetrics.ts';
import { SourceTally } from './sourceTally.ts';

/** How many of the user's top tags drive the recommendations. */
const TAGS_PER_USER = 5;
/** Top item ids fetched (and cached) per tag, whatever the requested limit, so one cache entry serves every limit. */
const IDS_PER_TAG = 50;
/** Cache name of the overall chart, used for users without tags; `*` cannot be a task tag. */
const OVERALL_CHART = '*';

export interface RecommendationServiceDependencies {
  catalog: CatalogClient;
  cache: CatalogCache;
  metrics: RecommendationMetrics;
  logger: Logger;
  /** The user's most used task tags, most used first. */
  topTags(userId: number, limit: number): Promise<string[]>;
  /** Starts the catalog deadline of one request (CATALOG_DEADLINE_MS). */
  startDeadline(): Deadline;
}

/**
 * A stale copy at hand makes one attempt enough: if it fails, the copy answers at once instead of the request
 * waiting through backoffs for data it already has.
 */
const ONE_ATTEMPT = 1;

/**
 * Recommends catalog items from the user's most used task tags: top ids per tag, then item details, each from the
 * cache when fresh, else from the catalog, else (catalog unavailable) from a stale cache copy. A user without tags
 * gets the catalog's overall chart. All catalog calls of one request share one deadline.
 */
export class RecommendationService implements RecommendationProvider {
  readonly #deps: RecommendationServiceDependencies;

  constructor(deps: RecommendationServiceDependencies) {
    this.#deps = deps;
  }

  async recommend(userId: number, limit: number): Promise<Recommendations> {
    const userTags = await this.#deps.topTags(userId, TAGS_PER_USER);
    const tags: WeightedTag[] = userTags.length === 0
      ? [{ tag: OVERALL_CHART, weight: 1 }]
      : userTags.map((tag, rank) => ({ tag, weight: 1 / (rank + 1) }));
    const tally = new SourceTally();
    const deadline = this.#deps.startDeadline();
    const topIds = await timed('recommendations.topIds', () => this.#topIds(tags.map(({ tag }) => tag), tally, deadline));
    const items = await timed('recommendations.items', () => this.#items([...new Set([...topIds.values()].flat())], tally, deadline));
    const ranked = timed('recommendations.rank', () => rankItems(tags, topIds, items, limit));
    if (ranked.length === 0 && tally.catalogFailed) {
      throw new ServiceUnavailableError('CATALOG_UNAVAILABLE', 'The catalog is unavailable and nothing is cached for these recommendations');
    }
    this.#deps.metrics.served(tally.source);
    return { items: ranked, source: tally.source, degraded: tally.catalogFailed };
  }

  async #topIds(tags: string[], tally: SourceTally, deadline: Deadline): Promise<Map<string, string[]>> {
    const cached = await this.#deps.cache.getTop(tags);
    const result = new Map<string, string[]>();
    const fetched = new Map<string, string[]>();
    await Promise.all(tags.map(async (tag, index) => {
      const copy = cached[index] ?? { state: 'miss' };
      if (copy.state === 'fresh') {
        result.set(tag, copy.value);
        return;
      }
      try {
        const call: CatalogCall = copy.state === 'stale' ? { deadline, maxAttempts: ONE_ATTEMPT } : { deadline };
        const ids = await this.#deps.catalog.topItemIds(tag === OVERALL_CHART ? undefined : tag, IDS_PER_TAG, call);
        result.set(tag, ids);
        fetched.set(tag, ids);
        tally.usedCatalog = true;
      } catch (error) {
        this.#catalogFailed(tally, error);
        if (copy.state === 'stale') {
          result.set(tag, copy.value);
          tally.usedStale = true;
        }
      }
    }));
    await this.#deps.cache.setTop(fetched);
    return result;
  }

  async #items(ids: string[], tally: SourceTally, deadline: Deadline): Promise<Map<string, CatalogItem>> {
    const cached = await this.#deps.cache.getItems(ids);
    const result = new Map<string, CatalogItem>();
    const stale = new Map<string, CatalogItem>();
    ids.forEach((id, index) => {
      const copy = cached[index];
      if (copy?.state === 'fresh') result.set(id, copy.value);
      else if (copy?.state === 'stale') stale.set(id, copy.value);
    });
    const unknown = ids.filter((id) => !result.has(id) && !stale.has(id));
    if (unknown.length === 0 && stale.size === 0) return result;
    // Ids with a stale copy go in their own batches, so that only those get the one-attempt call.
    const fetched = await Promise.all([
      this.#deps.catalog.itemsByIds(unknown, { deadline }),
      this.#deps.catalog.itemsByIds([...stale.keys()], { deadline, maxAttempts: ONE_ATTEMPT }),
    ]);
    const items = fetched.flatMap(({ items }) => items);
    for (const item of items) result.set(item.id, item);
    if (items.length > 0) tally.usedCatalog = true;
    for (const { failedIds, error } of fetched) {
      if (failedIds.length === 0) continue;
      this.#catalogFailed(tally, error);
      for (const id of failedIds) {
        const copy = stale.get(id);
        if (copy === undefined) continue;
        result.set(id, copy);
        tally.usedStale = true;
      }
    }
    await this.#deps.cache.setItems(items);
    return result;
  }

  #catalogFailed(tally: SourceTally, error: unknown): void {
    tally.catalogFailed = true;
    this.#deps.logger.debug({ err: error }, 'catalog call failed; falling back to the cache');
  }
}
