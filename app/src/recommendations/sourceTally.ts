import type { RecommendationSource } from './recommendation.ts';

/** What one recommendation request drew on, to tell the client where its answer came from. */
export class SourceTally {
  usedCatalog = false;
  usedStale = false;
  catalogFailed = false;

  /** Stale if any stale copy was served, else catalog if anything was fetched, else all came from fresh cache. */
  get source(): RecommendationSource {
    if (this.usedStale) return 'stale';
    return this.usedCatalog ? 'catalog' : 'cache';
  }
}
