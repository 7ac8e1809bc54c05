/** One recommended catalog item, as served by GET /api/recommendations. */
export interface RecommendedItem {
  id: string;
  title: string;
  score: number;
  tags: string[];
  artist: string;
  popularity: number;
}

export type RecommendationSource = 'cache' | 'catalog' | 'stale';

export interface Recommendations {
  items: RecommendedItem[];
  /** Where the data came from: fresh cache, the catalog API, or an expired cache copy while the catalog is down. */
  source: RecommendationSource;
  /** True when the answer is worse than normal (stale or partial) because a dependency failed. */
  degraded: boolean;
}

/** What the HTTP layer needs from the recommendation domain. */
export interface RecommendationProvider {
  recommend(userId: number, limit: number): Promise<Recommendations>;
}
