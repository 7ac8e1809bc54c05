import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';

/** The route label of requests that matched no route, so unknown paths cannot blow up log or metric cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * One log line per request: method, route template (never the raw URL, which may carry ids or query strings),
 * status and duration. Headers, bodies and parameters are never logged.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    res.once('finish', () => {
      const statusCode = res.statusCode;
      const level = statusCode >= 500 ? 'error' : 'info';
      logger[level](
        {
          method: req.method,
          route: req.route?.path ?? UNMATCHED_ROUTE,
          statusCode,
          durationMs: Math.round((performance.now() - start) * 1000) / 1000,
        },
        'request',
      );
    });
    next();
  };
}
