import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Pool } from './createPool.ts';

/** The SQL migrations shipped with the service, applied in file-name order. */
export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Arbitrary but fixed: every replica takes the same lock, so only one applies migrations at a time. */
const MIGRATION_LOCK_ID = 727_001;

/**
 * The pool's client-side query_timeout would cut a long migration: its queries pass the longest timer Node has
 * (about 24.8 days) instead, since pg 8.23 treats a per-query 0 as "use the pool's".
 */
const NO_CLIENT_TIMEOUT = 2 ** 31 - 1;

/** SQLSTATE lock_not_available: a lock wait ran out of `lock_timeout`. */
const LOCK_NOT_AVAILABLE = '55P03';

export interface MigrateOptions {
  /** Directory of the `*.sql` files. @default migrationsDir */
  dir?: string;
  /** Longest wait for the migration lock (and any table lock a migration needs). @default 60000 */
  lockTimeoutMs?: number;
}

/** Start-up cannot go on: another instance held the migration lock for longer than the configured wait. */
export class MigrationLockTimeoutError extends Error {
  override name = 'MigrationLockTimeoutError';
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, all in one transaction under an advisory lock,
 * so replicas can start together and a failed migration leaves nothing half-done. Returns the names applied.
 *
 * The transaction has no statement timeout (a migration may rewrite a large table; requests keep theirs) but a
 * bounded lock wait: `lock_timeout` covers advisory locks too, since they wait in the same lock manager (checked in
 * test/integration/migrations.test.ts against PostgreSQL 15), so a stuck instance fails start-up instead of a hang.
 */
export async function migrate(pool: Pool, options: MigrateOptions = {}): Promise<string[]> {
  const dir = options.dir ?? migrationsDir;
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  const files = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const client = await pool.connect();
  const query = <Row extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
    client.query<Row>({ text, ...(values === undefined ? {} : { values }), query_timeout: NO_CLIENT_TIMEOUT } as pg.QueryConfig);
  try {
    await query('BEGIN');
    // set_config(…, true) is SET LOCAL: both settings end with this transaction.
    await query("SELECT set_config('statement_timeout', '0', true), set_config('lock_timeout', $1, true)", [`${lockTimeoutMs}ms`]);
    await query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw error;
      throw new MigrationLockTimeoutError(
        `Another instance holds the migration lock (advisory lock ${MIGRATION_LOCK_ID}) and did not release it within ` +
          `${lockTimeoutMs} ms; start again once it has finished, or wait longer with MIGRATION_LOCK_TIMEOUT_MS`,
        { cause: error },
      );
    });
    await query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await query<{ name: string }>('SELECT name FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.name));
    const pending = files.filter((name) => !applied.has(name));
    for (const name of pending) {
      await query(await readFile(join(dir, name), 'utf8'));
      await query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
    }
    await query('COMMIT');
    return pending;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
