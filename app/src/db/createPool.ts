import pg from 'pg';
import { timePostgresQueries } from './timePostgresQueries.ts';
import { translatePoolErrors } from './translatePostgresErrors.ts';

// Bigint columns (ids, counts) come back as JavaScript numbers: ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export type Pool = pg.Pool;

export interface PoolOptions {
  /** Most connections open at once. */
  max: number;
  /**
   * Longest wait for a connection: a new one to a server that does not answer, or a free one when all are busy.
   * Beyond it the query fails with 503 DATABASE_UNAVAILABLE. @default 2000
   */
  connectionTimeoutMs?: number;
  /** Server-side limit of one statement (migrations lift it for their transaction). @default 10000 */
  statementTimeoutMs?: number;
}

/**
 * Client-side limit of one query, past the server's statement timeout: a server that hangs (stopped, its host gone)
 * cannot cancel anything, and a query on a connection it holds would otherwise wait for as long as TCP does.
 * pg 8.23 `query_timeout` (pg/lib/client.js) fails the query with "Query read timeout"; pg-pool then drops the client.
 */
const CLIENT_MARGIN_MS = 2_000;

/**
 * A PostgreSQL pool with bounded waits, so a stuck database turns into errors instead of piling up requests, and a
 * lost one into 503s (translatePostgresErrors.ts). When the server goes away, pg-pool 8.23 drops each idle client on
 * its `error` event and opens new connections on demand, so the pool recovers by itself once the server is back.
 * Every query counts towards the calling request's time in PostgreSQL (dependencyTime.ts, the slow request log).
 */
export function createPool(connectionString: string, options: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    query_timeout: (options.statementTimeoutMs ?? 10_000) + CLIENT_MARGIN_MS,
    application_name: 'app',
  });
  // An idle client losing its connection must not crash the process; the pool has dropped it already.
  pool.on('error', () => {});
  translatePoolErrors(pool);
  timePostgresQueries(pool);
  pool.on('connect', (client) => timePostgresQueries(client));
  return pool;
}
