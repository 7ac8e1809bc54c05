import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { RecommendationProvider } from '../../recommendations/recommendation.ts';
import { userIdOf } from '../auth.ts';
import { defineRoute } from '../defineRoute.ts';
import { validate } from '../validate.ts';

const querySchema = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) });

export function recommendationRoutes(recommendations: RecommendationProvider, auth: RequestHandler): Router {
  const router = Router();
  defineRoute(router, '/api/recommendations', {
    get: [auth, async (req, res) => {
      const userId = userIdOf(res);
      const { limit } = validate(querySchema, req.query, 'query');
      res.json(await recommendations.recommend(userId, limit));
    }],
  });
  return router;
}
