import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readdir } from 'node:fs/promises';
import { createPool, type Pool } from '../../app/src/db/createPool.ts';
import { migrate, migrationsDir } from '../../app/src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.ts';

let database: TestDatabase;
let pools: Pool[];
before(async () => {
  database = await createTestDatabase();
  pools = [createPool(database.url, 2), createPool(database.url, 2), createPool(database.url, 2)];
});
after(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await database.drop();
});

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
