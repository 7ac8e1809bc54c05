import { AsyncResource } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import { routeTemplateOf } from './routeTemplate.ts';

/**
 * One log line per request once its connection is done with it: method, route template (never the raw URL, which
 * may carry ids or query strings), status and duration. A request whose response did not complete (the client went
 * away, or the connection was cut) is logged with `aborted: true`, and without a status when none was sent.
 * Headers, bodies and parameters are never logged.
 *
 * pino-http was considered (issue: aborted requests): it logs the same cases, but in its own line shape
 * (`req`, `res`, `responseTime`), and this line's shape is what dashboards, Loki queries and the tests read.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    // 'close' of a cut-off connection fires from the socket, outside the request: bind it to the request's
    // context so its line carries the request's trace id like every other.
    res.once('close', AsyncResource.bind(() => {
      const aborted = !res.writableFinished;
      const statusCode = aborted && !res.headersSent ? undefined : res.statusCode;
      const level = (statusCode ?? 0) >= 500 ? 'error' : aborted ? 'warn' : 'info';
      logger[level](
        {
          method: req.method,
          route: routeTemplateOf(req),
          ...(statusCode !== undefined && { statusCode }),
          durationMs: Math.round((performance.now() - start) * 1000) / 1000,
          ...(aborted && { aborted }),
        },
        'request',
      );
    }));
    next();
  };
}
