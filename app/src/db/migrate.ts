import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from './createPool.ts';

/** The SQL migrations shipped with the service, applied in file-name order. */
export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Arbitrary but fixed: every replica takes the same lock, so only one applies migrations at a time. */
const MIGRATION_LOCK_ID = 727_001;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, all in one transaction under an advisory lock,
 * so replicas can start together and a failed migration leaves nothing half-done. Returns the names applied.
 */
export async function migrate(pool: Pool, dir: string = migrationsDir): Promise<string[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ name: string }>('SELECT name FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.name));
    const pending = files.filter((name) => !applied.has(name));
    for (const name of pending) {
      await client.query(await readFile(join(dir, name), 'utf8'));
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
    }
    await client.query('COMMIT');
    return pending;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
