import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, type Pool } from '../../app/src/db/createPool.ts';
import { migrate, migrationsDir } from '../../app/src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.ts';

let database: TestDatabase;
let pools: Pool[];
let scratch: string;
before(async () => {
  database = await createTestDatabase();
  pools = [createPool(database.url, { max: 2 }), createPool(database.url, { max: 2 }), createPool(database.url, { max: 2 })];
  scratch = await mkdtemp(join(tmpdir(), 'migrations-test-'));
});
after(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await database.drop();
  await rm(scratch, { recursive: true, force: true });
});

/** A directory of its own holding the given migration files, for a database of its own. */
async function migrationSet(name: string, files: Record<string, string>): Promise<{ dir: string; database: TestDatabase }> {
  const dir = join(scratch, name);
  await mkdir(dir);
  for (const [file, sql] of Object.entries(files)) await writeFile(join(dir, file), sql);
  return { dir, database: await createTestDatabase() };
}

test('replicas starting together apply each migration exactly once', async () => {
  const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
  const results = await Promise.all(pools.map((pool) => migrate(pool)));
  assert.deepEqual(results.flat().sort(), files);
  const { rows } = await pools[0]!.query('SELECT name FROM schema_migrations ORDER BY name');
  assert.deepEqual(rows.map((r) => r.name), files);
});

test('running the migrations again applies nothing', async () => {
  assert.deepEqual(await migrate(pools[1]!), []);
});

test('a migration that runs longer than the statement timeout and the client-side query timeout requests have is not cut', async () => {
  const { dir, database: own } = await migrationSet('long', { '001_long.sql': 'SELECT pg_sleep(2.6); CREATE TABLE done (id int);' });
  // Requests on this pool are cut after 300 ms by the server and after 2.3 s by the client; the migration sleeps 2.6 s.
  const pool = createPool(own.url, { max: 1, statementTimeoutMs: 300 });
  const cutAtStatementTimeout = (error: { code?: string; cause?: { code?: string } }) => error.code === 'DATABASE_TIMEOUT' && error.cause?.code === '57014';
  try {
    await assert.rejects(pool.query('SELECT pg_sleep(1.5)'), cutAtStatementTimeout);
    assert.deepEqual(await migrate(pool, { dir }), ['001_long.sql']);
    await pool.query('SELECT count(*) FROM done');
    // The lifted timeout ended with the migration's transaction.
    await assert.rejects(pool.query('SELECT pg_sleep(1.5)'), cutAtStatementTimeout);
  } finally {
    await pool.end();
    await own.drop();
  }
});

test('while another instance holds the migration lock, migrate fails within the configured wait, naming the variable', async () => {
  const { dir, database: own } = await migrationSet('locked', { '001_table.sql': 'CREATE TABLE t (id int);' });
  const holder = createPool(own.url, { max: 1 });
  const waiter = createPool(own.url, { max: 1 });
  const client = await holder.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(727001)');
    const started = performance.now();
    const error = await migrate(waiter, { dir, lockTimeoutMs: 500 }).catch((caught: unknown) => caught);
    const waitedMs = performance.now() - started;
    assert.ok(error instanceof Error, String(error));
    assert.equal(error.name, 'MigrationLockTimeoutError');
    assert.match(error.message, /Another instance holds the migration lock .* within 500 ms.*MIGRATION_LOCK_TIMEOUT_MS/);
    assert.ok(waitedMs >= 450 && waitedMs < 5_000, `failed after ${waitedMs.toFixed(0)} ms`);
    // Nothing was applied, and once the lock is free the same call succeeds.
    await client.query('COMMIT');
    assert.deepEqual(await migrate(waiter, { dir, lockTimeoutMs: 500 }), ['001_table.sql']);
  } finally {
    client.release();
    await Promise.all([holder.end(), waiter.end()]);
    await own.drop();
  }
});
