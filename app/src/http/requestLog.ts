import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import { routeTemplateOf } from './routeTemplate.ts';

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
          route: routeTemplateOf(req),
          statusCode,
          durationMs: Math.round((performance.now() - start) * 1000) / 1000,
        },
        'request',
      );
    });
    next();
  };
}
