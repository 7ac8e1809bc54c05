import type { Config } from '../config.ts';
import type { Redis } from '../db/createRedis.ts';
import { ServiceUnavailableError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { RecommendationProvider } from './recommendation.ts';

export interface RecommendationDependencies {
  redis: Redis;
  logger: Logger;
  /** The user's most used task tags, most used first. */
  topTags(userId: number, limit: number): Promise<string[]>;
}

// Placeholder until the catalog client lands (in progress in this session).
export function createRecommendationService(_config: Config, _deps: RecommendationDependencies): RecommendationProvider {
  return {
    recommend: async () => {
      throw new ServiceUnavailableError('CATALOG_UNAVAILABLE', 'not implemented yet');
    },
  };
}
