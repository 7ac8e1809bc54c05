import { Router } from 'express';
import { sendError } from '../errorHandler.ts';
import { defineRoute } from '../defineRoute.ts';

/** A readiness check: resolves when the dependency answers, rejects otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

const CHECK_TIMEOUT_MS = 1_000;

/** Liveness (the process answers) and readiness (its dependencies answer, 503 naming the ones that do not). */
export function healthRoutes(checks: Record<string, ReadinessCheck>): Router {
  const router = Router();
  defineRoute(router, '/healthz', { get: (_req, res) => void res.json({ status: 'ok' }) });
  defineRoute(router, '/readyz', {
    get: async (_req, res) => {
      const names = Object.keys(checks);
      const results = await Promise.allSettled(
        names.map((name) => Promise.race([checks[name]!(), timeout(CHECK_TIMEOUT_MS)])),
      );
      const status = Object.fromEntries(
        results.map((result, i) => [names[i], result.status === 'fulfilled' ? 'ok' : `failed: ${String(result.reason?.message ?? result.reason)}`]),
      );
      const failed = names.filter((_, i) => results[i]!.status === 'rejected');
      if (failed.length === 0) res.json({ status: 'ok', checks: status });
      else sendError(res, 503, 'NOT_READY', `Not ready: ${failed.join(', ')} unreachable`, status);
    },
  });
  return router;
}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref());
}
