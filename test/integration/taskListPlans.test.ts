import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { Pool } from '../../app/src/db/createPool.ts';
import { migrate, migrationsDir } from '../../app/src/db/migrate.ts';
import { taskListQuery, type ListFilter } from '../../app/src/tasks/taskListQuery.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.ts';

// One user with enough tasks that the planner weighs its options (on a few hundred rows it picks a seq scan
// whatever the indexes), seeded under migration 001 and then upgraded, so the plans are those of a backfilled index.
const TASKS = 40_000;
/** What the service asks for: a page of 20 and one more row to know whether there is a next page. */
const LIMIT = 21;
const NEW_INDEX = 'task_tags_user_tag_status_idx';

let database: TestDatabase;
let pool: Pool;
let userId: number;
let upgrade: string[];
before(async () => {
  database = await createTestDatabase();
  // Not createPool(): its 10 s statement timeout is for requests, and seeding on a loaded machine may take longer.
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const firstOnly = await mkdtemp(join(tmpdir(), 'migrations-001-'));
  try {
    await copyFile(join(migrationsDir, '001_users_and_tasks.sql'), join(firstOnly, '001_users_and_tasks.sql'));
    await migrate(pool, { dir: firstOnly });
  } finally {
    await rm(firstOnly, { recursive: true });
  }
  const users = await pool.query<{ id: number }>(
    `INSERT INTO users (name, email, token_hash) VALUES ('Planner', 'planner@example.com', '\\x01'), ('Other', 'other@example.com', '\\x02') RETURNING id`,
  );
  userId = users.rows[0]!.id;
  // Half the tasks carry jazz; few are done, so "jazz and done" is rare: read through the tag alone, a page of it
  // means walking past hundreds of jazz tasks that are not done.
  await pool.query(
    `INSERT INTO tasks (user_id, title, status, tags)
     SELECT $1, 'task ' || g, CASE WHEN g % 50 = 0 THEN 'done' WHEN g % 2 = 0 THEN 'doing' ELSE 'todo' END,
            CASE WHEN g % 4 < 2 THEN ARRAY['jazz'] ELSE ARRAY['work', 'home'] END
     FROM generate_series(1, $2::int) AS g`,
    [userId, TASKS],
  );
  await pool.query(`INSERT INTO tasks (user_id, title, status, tags) SELECT $1, 'other ' || g, 'done', ARRAY['jazz'] FROM generate_series(1, 5000) AS g`, [
    users.rows[1]!.id,
  ]);
  // Status changes made before the upgrade must be in the backfilled index too.
  await pool.query(`UPDATE tasks SET status = 'done' WHERE user_id = $1 AND id % 97 = 0`, [userId]);
  upgrade = await migrate(pool);
  await pool.query('ANALYZE tasks; ANALYZE task_tags');
});
after(async () => {
  await pool.end();
  await database.drop();
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  /** Rows per loop: an inner index lookup of a nested loop reports one row per outer row. */
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

function describe(nodes: PlanNode[]): string {
  return nodes.map((node) => `${node['Node Type']}${node['Index Name'] ? ` on ${node['Index Name']}` : ''} (${node['Actual Rows']} rows)`).join(' → ');
}

/** The plan PostgreSQL runs the list query with: a custom plan for these values, or the generic plan a prepared statement switches to. */
async function planOf(filter: ListFilter, kind: 'custom' | 'generic'): Promise<PlanNode[]> {
  const query = taskListQuery(userId, LIMIT, filter);
  const client = await pool.connect();
  try {
    if (kind === 'custom') {
      const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.text}`, query.values);
      return nodesOf(rows[0]['QUERY PLAN'][0].Plan);
    }
    await client.query(`PREPARE list_query AS ${query.text}`);
    await client.query('SET plan_cache_mode = force_generic_plan');
    const literals = query.values.map((value) => (typeof value === 'number' ? String(value) : client.escapeLiteral(String(value))));
    const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE list_query(${literals.join(', ')})`);
    return nodesOf(rows[0]['QUERY PLAN'][0].Plan);
  } finally {
    await client.query('DEALLOCATE ALL; RESET plan_cache_mode').catch(() => {});
    client.release();
  }
}

test('migration 002 upgrades a database with data: every tag link carries its task status', async () => {
  assert.deepEqual(upgrade, ['002_task_tags_status.sql']);
  const { rows } = await pool.query(
    `SELECT (SELECT count(*)::int FROM tasks, unnest(tags)) AS links_expected, (SELECT count(*)::int FROM task_tags) AS links,
            (SELECT count(*)::int FROM task_tags tt JOIN tasks t ON t.id = tt.task_id WHERE tt.status = t.status) AS links_with_status`,
  );
  assert.equal(rows[0].links, rows[0].links_expected, JSON.stringify(rows[0]));
  assert.equal(rows[0].links_with_status, rows[0].links_expected, JSON.stringify(rows[0]));
});

test('tag and status together are an index range scan on task_tags (user_id, tag, status, task_id), first and deep pages, custom and generic plans', async (t) => {
  const { rows: matching } = await pool.query<{ id: number }>(
    `SELECT id FROM tasks WHERE user_id = $1 AND 'jazz' = ANY (tags) AND status = 'done' ORDER BY id DESC`,
    [userId],
  );
  const middle = Number(matching[Math.floor(matching.length / 2)]!.id);
  t.diagnostic(`${TASKS} tasks, ${matching.length} of them tagged jazz and done`);
  for (const filter of [{ tag: 'jazz', status: 'done' }, { tag: 'jazz', status: 'done', beforeId: middle }] satisfies ListFilter[]) {
    for (const kind of ['custom', 'generic'] as const) {
      const nodes = await planOf(filter, kind);
      const what = `${kind} plan of ${JSON.stringify(filter)}: ${describe(nodes)}`;
      t.diagnostic(what);
      const scan = nodes.find((node) => node['Index Name'] === NEW_INDEX);
      assert.ok(scan, `no scan on ${NEW_INDEX} in the ${what}`);
      assert.ok(/Index (Only )?Scan/.test(scan['Node Type']), what);
      const overLimit = nodes.filter((node) => node['Actual Rows']! > LIMIT);
      assert.deepEqual(overLimit, [], `every step reads at most the page (${LIMIT} rows): ${what}`);
      assert.ok(!nodes.some((node) => node['Node Type'] === 'Seq Scan' || node['Node Type'] === 'Sort'), what);
    }
    const query = taskListQuery(userId, LIMIT, filter);
    const { rows } = await pool.query<{ id: number }>(query.text, query.values);
    const expected = matching.filter((row) => filter.beforeId === undefined || Number(row.id) < filter.beforeId).slice(0, LIMIT);
    assert.deepEqual(rows.map((row) => Number(row.id)), expected.map((row) => Number(row.id)), `rows of ${JSON.stringify(filter)}`);
  }
});
