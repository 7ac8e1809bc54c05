import pg from 'pg';
import { timePostgresQueries } from './timePostgresQueries.ts';

// Bigint columns (ids, counts) come back as JavaScript numbers: ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export type Pool = pg.Pool;

/**
 * A PostgreSQL pool with bounded waits, so a stuck database turns into errors instead of piling up requests. Every
 * query counts towards the calling request's time in PostgreSQL (dependencyTime.ts, the slow request log).
 */
export function createPool(connectionString: string, max: number): Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 10_000,
    application_name: 'app',
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  timePostgresQueries(pool);
  pool.on('connect', (client) => timePostgresQueries(client));
  return pool;
}
