import type { ServerResponse } from 'node:http';
import type { CatalogData } from './catalogData.ts';
import { sendJson } from './sendJson.ts';

/** Most ids one `GET /v1/items` call may ask for, as in the real catalog APIs (Spotify's is 50 too). */
export const MAX_IDS_PER_CALL = 50;
export const MAX_TOP_LIMIT = 200;

/** `GET /v1/top?tag=jazz&limit=50` → `{tag, ids}`, most popular first; without `tag`, the overall chart. */
export function serveTop(url: URL, res: ServerResponse, data: CatalogData): void {
  const tag = url.searchParams.get('tag') ?? undefined;
  const limitText = url.searchParams.get('limit') ?? '50';
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TOP_LIMIT) {
    return sendJson(res, 400, { error: 'bad_request', message: `limit must be an integer from 1 to ${MAX_TOP_LIMIT}` });
  }
  if (tag !== undefined && (tag.length === 0 || tag.length > 100)) {
    return sendJson(res, 400, { error: 'bad_request', message: 'tag must be 1 to 100 characters' });
  }
  sendJson(res, 200, { tag: tag ?? null, ids: data.topIds(tag, limit) });
}

/** `GET /v1/items?ids=a,b,c` (at most 50) → `{items}` in the order asked; unknown ids are left out. */
export function serveItems(url: URL, res: ServerResponse, data: CatalogData): void {
  const ids = (url.searchParams.get('ids') ?? '').split(',').map((id) => id.trim()).filter((id) => id.length > 0);
  if (ids.length === 0) return sendJson(res, 400, { error: 'bad_request', message: 'ids is required' });
  if (ids.length > MAX_IDS_PER_CALL) {
    return sendJson(res, 400, { error: 'bad_request', message: `at most ${MAX_IDS_PER_CALL} ids per call, got ${ids.length}` });
  }
  sendJson(res, 200, { items: ids.flatMap((id) => data.items.get(id) ?? []) });
}
