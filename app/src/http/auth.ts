import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { UserService } from '../users/userService.ts';
import { bearerTokenOf } from './bearerToken.ts';

export type Principal = { kind: 'user'; userId: number } | { kind: 'admin' };

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Resolves `Authorization: Bearer <token>` to a user or the administrator; anything else is a 401. */
export function authenticate(users: UserService, adminToken: string): RequestHandler {
  const adminDigest = digest(adminToken);
  return async (req, res, next) => {
    const token = bearerTokenOf(req.get('authorization'));
    if (token === undefined) throw new UnauthorizedError();
    if (timingSafeEqual(digest(token), adminDigest)) {
      res.locals.principal = { kind: 'admin' } satisfies Principal;
      next();
      return;
    }
    const userId = await users.authenticate(token);
    if (userId === undefined) throw new UnauthorizedError('Unknown or revoked token');
    res.locals.principal = { kind: 'user', userId } satisfies Principal;
    next();
  };
}

/** The calling user's id; the administrator is not a user and gets a 403 on user endpoints. */
export function userIdOf(res: Response): number {
  const principal = res.locals.principal as Principal | undefined;
  if (principal?.kind !== 'user') throw new ForbiddenError('This endpoint needs a user token');
  return principal.userId;
}

export const requireAdmin: RequestHandler = (_req, res, next) => {
  const principal = res.locals.principal as Principal | undefined;
  if (principal?.kind !== 'admin') throw new ForbiddenError('This endpoint needs the admin token');
  next();
};
