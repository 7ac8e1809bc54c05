import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Response } from 'express';
import { AppError, ServiceUnavailableError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { clientErrorOf } from './clientError.ts';

export function sendError(res: Response, statusCode: number, code: string, message: string, details?: unknown): void {
  res.status(statusCode).json({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code, details });
}

/**
 * The one place where errors become responses: our own errors keep their status and message (a 503 with its
 * `Retry-After`), a library's 4xx error (malformed path, unreadable body) keeps its status with a fixed message,
 * anything else is a logged 500.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof AppError) {
      if (error instanceof ServiceUnavailableError) res.set('Retry-After', String(error.retryAfterSeconds));
      sendError(res, error.statusCode, error.code, error.message, error.details);
      return;
    }
    const clientError = clientErrorOf(error);
    if (clientError) {
      sendError(res, clientError.statusCode, clientError.code, clientError.message);
      return;
    }
    logger.error({ err: error, method: req.method, route: req.route?.path }, 'unhandled error');
    sendError(res, 500, 'INTERNAL', 'Internal server error');
  };
}
