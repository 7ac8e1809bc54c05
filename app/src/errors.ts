/**
 * Errors the service answers with on purpose. Each has an HTTP status and a stable `code` that clients can match;
 * anything else that reaches the error handler is a bug and becomes a 500.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly statusCode: number;
  readonly code: string;
  readonly details: unknown;

  constructor(statusCode: number, code: string, message: string, details?: unknown) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.details = details;
  }
}

export class ValidationError extends AppError {
  override name = 'ValidationError';
  constructor(message: string, details?: unknown) {
    super(400, 'VALIDATION_FAILED', message, details);
  }
}

export class UnauthorizedError extends AppError {
  override name = 'UnauthorizedError';
  constructor(message = 'A valid bearer token is required') {
    super(401, 'UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  constructor(message = 'This token may not use this endpoint') {
    super(403, 'FORBIDDEN', message);
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super(404, 'NOT_FOUND', message);
  }
}

export class ConflictError extends AppError {
  override name = 'ConflictError';
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

/**
 * Something the request needs is unavailable for now. The response carries `Retry-After` (seconds): a client that
 * honours it backs off instead of retrying at once into the same outage.
 */
export class ServiceUnavailableError extends AppError {
  override name = 'ServiceUnavailableError';
  readonly retryAfterSeconds = 1;
  constructor(code: string, message: string, details?: unknown) {
    super(503, code, message, details);
  }
}

/**
 * PostgreSQL cannot be reached or refuses work for now (down, restarting, out of connections): the same request
 * may well succeed in a few seconds. The driver's error is kept as `cause` for logs, never shown to the client.
 */
export class DatabaseUnavailableError extends ServiceUnavailableError {
  override name = 'DatabaseUnavailableError';
  constructor(cause: unknown) {
    super('DATABASE_UNAVAILABLE', 'The database is unavailable; try again shortly');
    this.cause = cause;
  }
}

/**
 * A statement PostgreSQL cancelled at its statement timeout (SQLSTATE 57014): the database is too slow to answer in
 * time right now, which is an outage for the client, not a fault in its request.
 */
export class DatabaseTimeoutError extends ServiceUnavailableError {
  override name = 'DatabaseTimeoutError';
  constructor(cause: unknown) {
    super('DATABASE_TIMEOUT', 'The database did not answer in time; try again shortly');
    this.cause = cause;
  }
}

/**
 * A value the database rejected (SQLSTATE class 22: out of range, too long, bad format). A backstop behind request
 * validation; the message is fixed because the driver's text can echo the value the user sent.
 */
export class InvalidValueError extends AppError {
  override name = 'InvalidValueError';
  constructor(cause: unknown) {
    super(400, 'INVALID_VALUE', 'A value in the request is not valid for this field');
    this.cause = cause;
  }
}
