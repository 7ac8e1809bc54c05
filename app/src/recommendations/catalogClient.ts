import { z } from 'zod';
import type { CatalogCall, CatalogHttp } from './catalogHttp.ts';
import { mapWithConcurrency } from './mapWithConcurrency.ts';

/** The catalog's own limit of ids per `GET /v1/items` call. */
export const MAX_IDS_PER_CALL = 50;
/** Item batches in flight at once for one request: fast, without one request flooding the catalog. */
const PARALLEL_BATCHES = 4;

/** An item as the catalog sends it, and as the cache must hold it to be served. */
export const catalogItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  artist: z.string(),
  tags: z.array(z.string()),
  popularity: z.number(),
});
export type CatalogItem = z.infer<typeof catalogItemSchema>;

/** A top list of item ids, as cached. */
export const topIdsSchema = z.array(z.string());
const topSchema = z.object({ ids: topIdsSchema });
const itemsSchema = z.object({ items: z.array(catalogItemSchema) });

export interface ItemsResult {
  items: CatalogItem[];
  /** Ids whose batch failed (the catalog was unavailable for it); unknown ids are simply absent from `items`. */
  failedIds: string[];
  /** Why the first failed batch failed. */
  error?: unknown;
}

/** The catalog API's two endpoints, typed. Resilience (timeouts, retries, breaker) is CatalogHttp's job. */
export class CatalogClient {
  readonly #http: CatalogHttp;

  constructor(http: CatalogHttp) {
    this.#http = http;
  }

  /** The most popular item ids for a tag, or the overall chart when `tag` is undefined. */
  async topItemIds(tag: string | undefined, limit: number, call: CatalogCall): Promise<string[]> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (tag !== undefined) query.set('tag', tag);
    const { ids } = await this.#http.get('top', `/v1/top?${query}`, topSchema, call);
    return ids;
  }

  /**
   * Item details, one call per batch of at most 50 ids (never one per item), a few batches at a time. The ids are
   * sorted first, so requests that want the same ids make the same batches and can share calls in flight.
   */
  async itemsByIds(ids: readonly string[], call: CatalogCall): Promise<ItemsResult> {
    const sorted = [...ids].sort();
    const batches: string[][] = [];
    for (let start = 0; start < sorted.length; start += MAX_IDS_PER_CALL) batches.push(sorted.slice(start, start + MAX_IDS_PER_CALL));
    const settled = await mapWithConcurrency(batches, PARALLEL_BATCHES, async (batch) => {
      const query = new URLSearchParams({ ids: batch.join(',') });
      return (await this.#http.get('items', `/v1/items?${query}`, itemsSchema, call)).items;
    });
    const result: ItemsResult = { items: [], failedIds: [] };
    settled.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') result.items.push(...outcome.value);
      else {
        result.failedIds.push(...(batches[index] ?? []));
        result.error ??= outcome.reason;
      }
    });
    return result;
  }
}
