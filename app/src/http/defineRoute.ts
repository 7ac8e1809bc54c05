import type { RequestHandler, Router } from 'express';
import { AppError } from '../errors.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type MethodHandlers = Partial<Record<Method, RequestHandler | RequestHandler[]>>;

/**
 * Registers the handlers of one path and answers any other method with a 405 that lists the allowed ones,
 * so a wrong method is told apart from an unknown path (404).
 */
export function defineRoute(router: Router, path: string, handlers: MethodHandlers): void {
  const allowed: string[] = [];
  for (const [method, handler] of Object.entries(handlers) as [Method, RequestHandler | RequestHandler[]][]) {
    router[method](path, ...[handler].flat());
    allowed.push(method.toUpperCase());
  }
  if (allowed.includes('GET')) allowed.push('HEAD');
  router.all(path, (req, res) => {
    res.set('Allow', allowed.join(', '));
    throw new AppError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}; use ${allowed.join(', ')}`);
  });
}
