import type { CatalogItem } from './catalogClient.ts';
import type { RecommendedItem } from './recommendation.ts';

export interface WeightedTag {
  tag: string;
  /** How much the user cares about this tag: 1 for the most used, 1/2 for the next, … */
  weight: number;
}

/**
 * Scores each item by its popularity (0–1) times the summed weight of the user's tags whose top list holds it, so
 * an item in several of the user's tags ranks higher; each item appears once. Ties go to the smaller id, so the
 * order is stable.
 */
export function rankItems(
  tags: readonly WeightedTag[],
  topIds: ReadonlyMap<string, readonly string[]>,
  items: ReadonlyMap<string, CatalogItem>,
  limit: number,
): RecommendedItem[] {
  const tagWeight = new Map<string, number>();
  for (const { tag, weight } of tags) {
    for (const id of topIds.get(tag) ?? []) tagWeight.set(id, (tagWeight.get(id) ?? 0) + weight);
  }
  const scored: RecommendedItem[] = [];
  for (const [id, weight] of tagWeight) {
    const item = items.get(id);
    if (item === undefined) continue;
    const score = Math.round(weight * (item.popularity / 100) * 10_000) / 10_000;
    scored.push({ id, title: item.title, score, tags: item.tags, artist: item.artist, popularity: item.popularity });
  }
  scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return scored.slice(0, limit);
}
