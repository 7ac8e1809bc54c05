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
