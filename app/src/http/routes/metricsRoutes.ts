import { Router, type RequestHandler } from 'express';
import { metricsReport } from '../../profiling/metricsReport.ts';
import type { LiveProfiling } from '../../profiling/startLiveProfiling.ts';
import { collectMetricsSnapshot } from '../../telemetry/metricsSnapshot.ts';
import { requireAdmin } from '../auth.ts';
import { defineRoute } from '../defineRoute.ts';
import { notInSlowRequestLog } from '../requestProfiling.ts';

/** Admin only: `GET /api/metrics`, the service's numbers as JSON (see metricsReport()). */
export function metricsRoutes(profiling: LiveProfiling, auth: RequestHandler): Router {
  const router = Router();
  defineRoute(router, '/api/metrics', {
    get: [notInSlowRequestLog, auth, requireAdmin, async (_req, res) => {
      const snapshot = await collectMetricsSnapshot();
      res.json(metricsReport({ snapshot, history: profiling.history, slowRequests: profiling.slowRequests }));
    }],
  });
  return router;
}
