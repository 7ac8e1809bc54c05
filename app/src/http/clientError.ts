import { STATUS_CODES } from 'node:http';

/** What a client is told about an error it caused: a 4xx status, a stable code and a fixed message. */
export interface ClientError {
  statusCode: number;
  code: string;
  message: string;
}

/** body-parser's error types (body-parser 2.x lib/read.js and lib/types/json.js), each with its own code. */
const BODY_ERRORS: Record<string, Omit<ClientError, 'statusCode'>> = {
  'entity.parse.failed': { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' },
  'entity.too.large': { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  'encoding.unsupported': { code: 'UNSUPPORTED_ENCODING', message: 'The request body encoding is not supported' },
  'charset.unsupported': { code: 'UNSUPPORTED_CHARSET', message: 'The request body charset is not supported' },
  'request.size.invalid': { code: 'BAD_REQUEST', message: 'The request body does not match its Content-Length' },
  'request.aborted': { code: 'BAD_REQUEST', message: 'The request body was aborted' },
};

/** The router (router 2.x lib/layer.js decodeParam) turns a path parameter it cannot decode into a URIError with status 400. */
const MALFORMED_URI = { code: 'MALFORMED_URI', message: 'The request path contains malformed percent-encoding' };

/** `Bad Request` → `BAD_REQUEST`: the code of a 4xx that has no more specific one. */
const codeOf = (statusCode: number): string => (STATUS_CODES[statusCode] ?? 'Error').toUpperCase().replace(/[^A-Z]+/g, '_');

/**
 * An error thrown by a library on the client's account (http-errors style: `status`/`statusCode` 400–499), as the
 * client is told about it. Its own message is not passed on (it may echo input or internals); undefined for
 * anything else, which is a bug and a 500.
 */
export function clientErrorOf(error: unknown): ClientError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, type } = error as { status?: unknown; statusCode?: unknown; type?: unknown };
  const httpStatus = typeof status === 'number' ? status : statusCode;
  if (typeof httpStatus !== 'number' || !Number.isInteger(httpStatus) || httpStatus < 400 || httpStatus > 499) return undefined;
  const known = (typeof type === 'string' ? BODY_ERRORS[type] : undefined) ?? (error instanceof URIError ? MALFORMED_URI : undefined);
  return { statusCode: httpStatus, ...(known ?? { code: codeOf(httpStatus), message: STATUS_CODES[httpStatus] ?? 'Client error' }) };
}
