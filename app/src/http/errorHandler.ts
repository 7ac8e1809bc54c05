import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Response } from 'express';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** Errors raised by Express's body parser carry a `type` and a 4xx `status`. */
interface HttpParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  message: string;
}

const PARSER_CODES: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'MALFORMED_JSON', 'The request body is not valid JSON'],
  'entity.too.large': [413, 'PAYLOAD_TOO_LARGE', 'The request body is too large'],
  'encoding.unsupported': [415, 'UNSUPPORTED_ENCODING', 'The request body encoding is not supported'],
  'charset.unsupported': [415, 'UNSUPPORTED_CHARSET', 'The request body charset is not supported'],
};

export function sendError(res: Response, statusCode: number, code: string, message: string, details?: unknown): void {
  res.status(statusCode).json({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code, details });
}

/** The one place where errors become responses: known errors keep their status, anything else is a logged 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof AppError) {
      sendError(res, error.statusCode, error.code, error.message, error.details);
      return;
    }
    const parserError = error as HttpParserError;
    const known = parserError.type === undefined ? undefined : PARSER_CODES[parserError.type];
    if (known) {
      sendError(res, ...known);
      return;
    }
    if (parserError.expose === true && parserError.status !== undefined && parserError.status < 500) {
      sendError(res, parserError.status, 'BAD_REQUEST', parserError.message);
      return;
    }
    logger.error({ err: error, method: req.method, route: req.route?.path }, 'unhandled error');
    sendError(res, 500, 'INTERNAL', 'Internal server error');
  };
}
