import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPool, type Pool } from '../../app/src/db/createPool.ts';
import { AppError } from '../../app/src/errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.ts';

describe('PostgreSQL errors as the pool reports them', () => {
  let database: TestDatabase;
  let pool: Pool;
  let refused: Pool;
  before(async () => {
    database = await createTestDatabase();
    pool = createPool(database.url, { max: 2 });
    // Port 9 (discard) is closed on the loopback interface.
    refused = createPool('postgres://postgres@127.0.0.1:9/postgres', { max: 2 });
  });
  after(async () => {
    await Promise.all([pool.end(), refused.end()]);
    await database.drop();
  });

  test('a value the database rejects (class 22) is a 400 INVALID_VALUE that does not echo the value', async () => {
    for (const sql of ["SELECT 'secret-value'::int", 'SELECT 2147483647::int + 1', 'SELECT 1 / 0']) {
      const error = await pool.query(sql).then(() => undefined, (caught: unknown) => caught);
      assert.ok(error instanceof AppError, `${sql}: ${String(error)}`);
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, 'INVALID_VALUE');
      assert.doesNotMatch(error.message, /secret|integer|2147483647/);
    }
  });

  test('a refused connection is a 503 DATABASE_UNAVAILABLE, in the promise and the callback style and through connect()', async () => {
    const viaPromise = await refused.query('SELECT 1').catch((error: unknown) => error);
    const viaCallback = await new Promise((resolve) => refused.query('SELECT 1', (error) => resolve(error)));
    const viaConnect = await refused.connect().catch((error: unknown) => error);
    for (const error of [viaPromise, viaCallback, viaConnect]) {
      assert.ok(error instanceof AppError, String(error));
      assert.equal(error.statusCode, 503);
      assert.equal(error.code, 'DATABASE_UNAVAILABLE');
      assert.match(String((error.cause as Error).message), /ECONNREFUSED/);
    }
  });

  test('a server that ends the session (57P01, as at a shutdown) is a 503 on the query it cut', async () => {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const killed = client.query('SELECT pg_sleep(5)').catch((error: unknown) => error);
      await pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      const error = await killed;
      assert.ok(error instanceof AppError, String(error));
      assert.equal(error.code, 'DATABASE_UNAVAILABLE');
    } finally {
      client.release(true);
    }
  });

  test('a statement cancelled at the statement timeout (57014) is a 503 DATABASE_TIMEOUT, not a 500', async () => {
    const impatient = createPool(database.url, { max: 1, statementTimeoutMs: 100 });
    try {
      const error = await impatient.query('SELECT pg_sleep(2)').catch((caught: unknown) => caught);
      assert.ok(error instanceof AppError, String(error));
      assert.equal(error.statusCode, 503);
      assert.equal(error.code, 'DATABASE_TIMEOUT');
      assert.equal((error.cause as { code?: string }).code, '57014');
      // The connection is still good: the next statement on it answers.
      assert.deepEqual((await impatient.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
    } finally {
      await impatient.end();
    }
  });

  test('other database errors (a unique violation) keep their SQLSTATE for the repository to map', async () => {
    await pool.query('CREATE TABLE once (id int PRIMARY KEY)');
    await pool.query('INSERT INTO once VALUES (1)');
    const error = await pool.query('INSERT INTO once VALUES (1)').catch((caught: unknown) => caught);
    assert.ok(!(error instanceof AppError));
    assert.equal((error as { code?: string }).code, '23505');
  });
});
