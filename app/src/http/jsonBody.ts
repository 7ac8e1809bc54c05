import express, { type Request, type RequestHandler } from 'express';

const bodyErrors = new WeakMap<Request, unknown>();

/**
 * Parses JSON bodies as express.json() does, but keeps a parse error (malformed JSON, body too large) for the
 * matched route to throw with throwBodyError. Thrown here, before routing, the 400 or 413 would be logged and
 * measured as an unmatched request; thrown by the route, it counts under its route template.
 */
export function parseJsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (error !== undefined) bodyErrors.set(req, error);
      next();
    });
  };
}

/** The first handler of every route (defineRoute adds it): throws the body error that parseJsonBody kept, if any. */
export const throwBodyError: RequestHandler = (req, _res, next) => {
  if (bodyErrors.has(req)) throw bodyErrors.get(req);
  next();
};
