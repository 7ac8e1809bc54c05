import pg from 'pg';
import { DatabaseTimeoutError, DatabaseUnavailableError, InvalidValueError } from '../errors.ts';
import { interceptQueries } from './interceptQueries.ts';

/** Socket errors of a connection that cannot be made or was lost (Node's `error.code`). */
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs of a server that is going away or not taking work (PostgreSQL 15, Appendix A): admin_shutdown 57P01
 * (`pg_ctl stop`, fast or immediate), crash_shutdown 57P02, cannot_connect_now 57P03 (starting up, in recovery),
 * too_many_connections 53300. Class 08 (connection exception) is matched as a whole.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** query_canceled: what a statement that outlived the pool's `statement_timeout` fails with. */
const QUERY_CANCELED = '57014';

/**
 * Errors pg and pg-pool 8.23 raise without a code when a connection is lost or cannot be had (pg/lib/client.js,
 * pg-pool/index.js): the socket closed under a query, a pool checkout or connect that ran out of
 * connectionTimeoutMillis, a query that outlived query_timeout (a server that hangs), a client used after its
 * connection failed.
 */
const LOST_CONNECTION =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed)/;

/**
 * The error a caller of the pool should see: a lost or refused connection becomes a 503 DATABASE_UNAVAILABLE, a
 * statement cancelled at the statement timeout a 503 DATABASE_TIMEOUT, a value the database rejects (class 22) a 400
 * INVALID_VALUE; anything else (a constraint violation the repository maps, a
 * bug) is passed on as it is.
 */
export function translatePostgresError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (error instanceof pg.DatabaseError && typeof code === 'string') {
    if (code.startsWith('08') || UNAVAILABLE_STATES.has(code)) return new DatabaseUnavailableError(error);
    if (code === QUERY_CANCELED) return new DatabaseTimeoutError(error);
    if (code.startsWith('22')) return new InvalidValueError(error);
    return error;
  }
  if (typeof code === 'string' && SOCKET_ERRORS.has(code)) return new DatabaseUnavailableError(error);
  if (LOST_CONNECTION.test(error.message)) return new DatabaseUnavailableError(error);
  return error;
}

/**
 * Translates the errors of everything a pool hands out: `pool.query`, `pool.connect()` and the queries of every
 * client it connects, so repositories and migrations see AppErrors for outages without knowing pg.
 */
export function translatePoolErrors(pool: pg.Pool): void {
  interceptQueries(pool, { mapError: translatePostgresError });
  pool.on('connect', (client) => interceptQueries(client, { mapError: translatePostgresError }));
  const connect = pool.connect.bind(pool) as (callback?: (error: unknown, ...rest: unknown[]) => void) => Promise<pg.PoolClient> | undefined;
  // pool.query checks a client out through this.connect(callback), so a refused connection is translated here too.
  const translated = (callback?: (error: unknown, ...rest: unknown[]) => void) =>
    callback === undefined
      ? connect()!.catch((error: unknown) => {
          throw translatePostgresError(error);
        })
      : connect((error, ...rest) => callback(error ? translatePostgresError(error) : error, ...rest));
  pool.connect = translated as typeof pool.connect;
}
