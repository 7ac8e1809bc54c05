import type pg from 'pg';

/** Tags of seeded tasks, one per task in turn, so recommendations see five tags. */
export const SEED_TAGS = ['work', 'home', 'music', 'jazz', 'rock'];

/**
 * Inserts `count` tasks for one user in one statement (the tag triggers run once), tags and statuses in turn (five
 * and three: every tag and status pair is a fifteenth of the tasks), then refreshes the planner's statistics so the
 * first queries already use the indexes.
 */
export async function seedTasks(db: pg.ClientBase | pg.Pool, userId: number, count: number): Promise<void> {
  await db.query(
    `INSERT INTO tasks (user_id, title, description, status, tags)
     SELECT $1, 'task ' || g, 'description of task ' || g, (ARRAY['todo','doing','done'])[1 + g % 3],
            ARRAY[($3::text[])[1 + g % 5]]
     FROM generate_series(1, $2::int) AS g`,
    [userId, count, SEED_TAGS],
  );
  await db.query('ANALYZE tasks; ANALYZE task_tags');
}
