import { Router } from 'express';
import { sendError } from '../errorHandler.ts';
import { defineRoute } from '../defineRoute.ts';

/** A readiness check: resolves when the dependency answers, rejects otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

export interface ReadinessChecks {
  /** Dependencies the service cannot serve without: one that fails makes /readyz 503 ('unavailable'). */
  required: Record<string, ReadinessCheck>;
  /** Dependencies it serves without, less well (a cache): one that fails is 'degraded' and /readyz stays 200. */
  optional: Record<string, ReadinessCheck>;
}

const CHECK_TIMEOUT_MS = 1_000;

/**
 * Liveness (the process answers) and readiness (the dependencies it cannot serve without answer). An orchestrator
 * takes a replica out of rotation on a 503, so only required dependencies decide it; the body names each
 * dependency's state, never a driver's error text (these endpoints need no token).
 */
export function healthRoutes(checks: ReadinessChecks): Router {
  const router = Router();
  defineRoute(router, '/healthz', { get: (_req, res) => void res.json({ status: 'ok' }) });
  defineRoute(router, '/readyz', {
    get: async (_req, res) => {
      const [required, optional] = await Promise.all([
        answering(checks.required, 'unavailable'),
        answering(checks.optional, 'degraded'),
      ]);
      const states = { ...required, ...optional };
      const missing = Object.keys(required).filter((name) => required[name] !== 'ok');
      if (missing.length === 0) res.json({ status: 'ok', checks: states });
      else sendError(res, 503, 'NOT_READY', `Not ready: ${missing.join(', ')} unavailable`, states);
    },
  });
  return router;
}

/** Runs the checks side by side, each for at most CHECK_TIMEOUT_MS: 'ok', or `failed` for one that did not answer. */
async function answering(checks: Record<string, ReadinessCheck>, failed: string): Promise<Record<string, string>> {
  const names = Object.keys(checks);
  const results = await Promise.allSettled(names.map((name) => Promise.race([checks[name]!(), timeout(CHECK_TIMEOUT_MS)])));
  return Object.fromEntries(results.map((result, i) => [names[i], result.status === 'fulfilled' ? 'ok' : failed]));
}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref());
}
