import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import pg from 'pg';
import { isoTimestamp } from '../../app/src/tasks/taskListQuery.ts';
import { requireEnv } from '../support/testDatabase.ts';

/** The instants a task's timestamps can hold (storableTimestamp's range), in microseconds since 1970, as PostgreSQL keeps them. */
const EARLIEST_US = BigInt(Date.parse('0001-01-01T00:00:00Z')) * 1000n;
const LATEST_US = BigInt(Date.parse('9999-12-31T23:59:59Z')) * 1000n + 999_999n;

/** `YYYY-MM-DDTHH:mm:ss.ffffffZ` of an instant in microseconds. */
function microsecondLiteral(microseconds: bigint): string {
  const truncated = microseconds / 1_000_000n;
  const seconds = microseconds % 1_000_000n < 0n ? truncated - 1n : truncated;
  const fraction = microseconds - seconds * 1_000_000n;
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${String(fraction).padStart(6, '0')}Z`;
}

const client = new pg.Client({ connectionString: requireEnv('DATABASE_URL') });
before(() => client.connect());
after(() => client.end());

test('PostgreSQL formats a task timestamp exactly as the Date the driver parses renders it, in any session time zone', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.bigInt({ min: EARLIEST_US, max: LATEST_US }),
      fc.constantFrom('UTC', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'Europe/Berlin'),
      async (microseconds, timeZone) => {
        await client.query(`SET TIME ZONE '${timeZone}'`);
        const { rows } = await client.query<{ due_at: string; rendered: Date }>(
          `SELECT ${isoTimestamp('due_at')}, t.due_at AS rendered FROM (SELECT $1::timestamptz AS due_at) t`,
          [microsecondLiteral(microseconds)],
        );
        assert.equal(rows[0]!.due_at, rows[0]!.rendered.toISOString());
      },
    ),
    { numRuns: 300 },
  );
});
