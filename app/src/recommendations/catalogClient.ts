import { z } from 'zod';
import type { CatalogHttp } from './catalogHttp.ts';
import { mapWithConcurrency } from './mapWithConcurrency.ts';

/** The catalog's own limit of ids per `GET /v1/items` call. */
export const MAX_IDS_PER_CALL = 50;
/** Item batches in flight at once for one request: fast, without one request flooding the catalog. */
const PARALLEL_BATCHES = 4;

export const catalogItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  artist: z.string(),
  tags: z.array(z.string()),
  popularity: z.number(),
});
export type CatalogItem = z.infer<typeof catalogItemSchema>;

const topSchema = z.object({ ids: z.array(z.string()) });
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
  async topItemIds(tag: string | undefined, limit: number): Promise<string[]> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (tag !== undefined) query.set('tag', tag);
    const { ids } = await this.#http.get('top', `/v1/top?${query}`, topSchema);
    return ids;
  }

  /** Item details, one call per batch of at most 50 ids (never one per item), a few batches at a time. */
  async itemsByIds(ids: readonly string[]): Promise<ItemsResult> {
    const batches: string[][] = [];
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_CALL) batches.push(ids.slice(start, start + MAX_IDS_PER_CALL));
    const settled = await mapWithConcurrency(batches, PARALLEL_BATCHES, async (batch) => {
      const query = new URLSearchParams({ ids: batch.join(',') });
      return (await this.#http.get('items', `/v1/items?${query}`, itemsSchema)).items;
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
