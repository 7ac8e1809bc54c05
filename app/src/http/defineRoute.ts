import type { Request, RequestHandler, Router } from 'express';
import { AppError } from '../errors.ts';
import { routeChannel, type RouteMatch } from '../routeChannel.ts';
import { throwBodyError } from './jsonBody.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type MethodHandlers = Partial<Record<Method, RequestHandler | RequestHandler[]>>;

/**
 * Registers the handlers of one path and answers any other method with a 405 that lists the allowed ones,
 * so a wrong method is told apart from an unknown path (404). Every match is published on routeChannel (the route
 * template of spans and metrics). A body that did not parse is answered by the route, so its
 * 400 or 413 carries the route template in logs and metrics.
 */
export function defineRoute(router: Router, path: string, handlers: MethodHandlers): void {
  const allowed: string[] = [];
  const matched = (req: Request): void => {
    if (routeChannel.hasSubscribers) routeChannel.publish({ request: req, route: path } satisfies RouteMatch);
  };
  const first: RequestHandler = (req, res, next) => {
    matched(req);
    throwBodyError(req, res, next);
  };
  for (const [method, handler] of Object.entries(handlers) as [Method, RequestHandler | RequestHandler[]][]) {
    router[method](path, first, ...[handler].flat());
    allowed.push(method.toUpperCase());
  }
  if (allowed.includes('GET')) allowed.push('HEAD');
  router.all(path, (req, res) => {
    matched(req);
    res.set('Allow', allowed.join(', '));
    throw new AppError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}; use ${allowed.join(', ')}`);
  });
}
