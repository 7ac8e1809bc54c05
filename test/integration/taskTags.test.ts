import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startTestApp, type TestApp } from '../support/startTestApp.ts';

let app: TestApp;
let db: pg.Client;
before(async () => {
  app = await startTestApp();
  db = new pg.Client({ connectionString: app.database.url });
  await db.connect();
});
after(async () => {
  await db.end();
  await app.stop();
});

/** The tag index and counters kept by triggers must equal what the tasks themselves say. */
async function assertTagTablesMatchTasks(): Promise<void> {
  const truth = await db.query(
    `SELECT user_id, tag, count(*)::int AS n FROM tasks, unnest(tags) AS tag GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const counts = await db.query('SELECT user_id, tag, count::int AS n FROM user_tag_counts WHERE count > 0 ORDER BY 1, 2');
  assert.deepEqual(counts.rows, truth.rows);
  const index = await db.query('SELECT user_id, tag, count(*)::int AS n FROM task_tags GROUP BY 1, 2 ORDER BY 1, 2');
  assert.deepEqual(index.rows, truth.rows);
  const links = await db.query(
    `SELECT tt.task_id, tt.tag, tt.status AS copied, t.status FROM task_tags tt JOIN tasks t ON t.id = tt.task_id
     WHERE tt.status <> t.status OR tt.user_id <> t.user_id OR tt.tag <> ALL (t.tags)`,
  );
  assert.deepEqual(links.rows, [], 'every task_tags row names a tag its task has, with the task\'s status');
}

/** Every id `GET /api/tasks?<query>` returns, page after page of `limit`. */
async function listAll(query: string, token: string, limit = 2): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { items: { id: number }[]; nextCursor: string | null } } = await app.api.get(
      `/api/tasks?limit=${limit}&${query}${cursor === null ? '' : `&cursor=${cursor}`}`,
      { token },
    );
    assert.equal(page.status, 200, JSON.stringify(page.body));
    ids.push(...page.body.items.map((task) => task.id));
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return ids;
}

test('tag index and per-user tag counts follow creates, tag changes and deletes', async () => {
  const { token } = await app.api.newUser('Tagger');
  const other = await app.api.newUser('Other');
  const ids: number[] = [];
  for (const tags of [['jazz', 'rock'], ['jazz'], ['home'], []]) {
    ids.push((await app.api.post('/api/tasks', { title: 't', tags }, { token })).body.id);
  }
  await app.api.post('/api/tasks', { title: 'o', tags: ['jazz'] }, { token: other.token });
  await assertTagTablesMatchTasks();

  await app.api.patch(`/api/tasks/${ids[0]}`, { tags: ['rock', 'blues'] }, { token });
  await app.api.patch(`/api/tasks/${ids[1]}`, { title: 'tags untouched' }, { token });
  await app.api.patch(`/api/tasks/${ids[3]}`, { tags: ['jazz'] }, { token });
  await assertTagTablesMatchTasks();

  await app.api.delete(`/api/tasks/${ids[1]}`, { token });
  await app.api.delete(`/api/tasks/${ids[2]}`, { token });
  await assertTagTablesMatchTasks();

  const jazz = await app.api.get('/api/tasks?tag=jazz', { token });
  assert.deepEqual(jazz.body.items.map((t: { id: number }) => t.id), [ids[3]]);
});

test('a bulk insert of many rows keeps the counters exact', async () => {
  const { id } = await app.api.newUser('Bulk');
  await db.query(
    `INSERT INTO tasks (user_id, title, tags) SELECT $1, 'b' || g, ARRAY[(ARRAY['a','b','c'])[1 + g % 3], 'all'] FROM generate_series(1, 3000) g`,
    [id],
  );
  await db.query(`UPDATE tasks SET tags = ARRAY['a'] WHERE user_id = $1 AND id % 2 = 0`, [id]);
  await assertTagTablesMatchTasks();
});

test('tag and status together page through exactly the matching tasks after status changes, tag changes and deletes', async () => {
  const { token } = await app.api.newUser('Combined');
  const other = await app.api.newUser('Neighbour');
  type Model = { id: number; status: string; tags: string[] };
  const tasks: Model[] = [];
  const statuses = ['todo', 'doing', 'done'];
  for (let i = 0; i < 24; i++) {
    const body = { title: `c${i}`, status: statuses[i % 3], tags: i % 4 === 0 ? ['jazz', 'rock'] : i % 4 === 1 ? ['jazz'] : ['rock'] };
    const created = await app.api.post('/api/tasks', body, { token });
    tasks.push({ id: created.body.id, status: body.status!, tags: body.tags });
    await app.api.post('/api/tasks', { title: 'noise', status: body.status, tags: ['jazz'] }, { token: other.token });
  }
  const expected = (tag: string, status: string) =>
    tasks.filter((t) => t.tags.includes(tag) && t.status === status).map((t) => t.id).reverse();
  const assertAllCombinations = async (step: string) => {
    for (const tag of ['jazz', 'rock']) {
      for (const status of statuses) {
        assert.deepEqual(await listAll(`tag=${tag}&status=${status}`, token), expected(tag, status), `${step}: tag=${tag}&status=${status}`);
      }
    }
    await assertTagTablesMatchTasks();
  };
  await assertAllCombinations('after creating');

  for (const task of tasks.filter((_, i) => i % 5 === 0)) {
    task.status = 'done';
    await app.api.patch(`/api/tasks/${task.id}`, { status: 'done' }, { token });
  }
  await assertAllCombinations('after status-only changes');

  for (const task of tasks.filter((_, i) => i % 3 === 1)) {
    task.tags = task.tags.includes('jazz') ? ['rock'] : ['jazz'];
    task.status = 'doing';
    await app.api.patch(`/api/tasks/${task.id}`, { tags: task.tags, status: 'doing' }, { token });
  }
  for (const task of tasks.filter((_, i) => i % 7 === 2)) {
    task.tags = [...task.tags, 'jazz'].filter((tag, index, all) => all.indexOf(tag) === index);
    await app.api.patch(`/api/tasks/${task.id}`, { tags: task.tags }, { token });
  }
  await assertAllCombinations('after tag changes with and without a status change');

  for (const task of tasks.filter((_, i) => i % 4 === 3)) await app.api.delete(`/api/tasks/${task.id}`, { token });
  tasks.splice(0, tasks.length, ...tasks.filter((_, i) => i % 4 !== 3));
  await assertAllCombinations('after deletes');
});

test('a bulk status update moves every tag link of the updated tasks, and only those', async () => {
  const { id } = await app.api.newUser('BulkStatus');
  await db.query(
    `INSERT INTO tasks (user_id, title, status, tags) SELECT $1, 's' || g, 'todo', ARRAY['a', (ARRAY['b','c'])[1 + g % 2]] FROM generate_series(1, 2000) g`,
    [id],
  );
  const moved = await db.query(`UPDATE tasks SET status = 'done' WHERE user_id = $1 AND id % 3 = 0`, [id]);
  await db.query(`UPDATE tasks SET title = title || '!' WHERE user_id = $1`, [id]);
  await assertTagTablesMatchTasks();
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM task_tags WHERE user_id = $1 AND status = 'done'`, [id]);
  assert.equal(rows[0].n, 2 * moved.rowCount!, `${moved.rowCount} tasks moved to done, with two tags each`);
});
