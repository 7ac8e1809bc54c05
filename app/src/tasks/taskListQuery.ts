import type { TaskStatus } from './task.ts';

/**
 * A timestamptz column as the API renders instants (ISO 8601 in UTC, to the millisecond, as `Date#toISOString`), formatted
 * by PostgreSQL: both truncate microseconds to milliseconds, and the years storableTimestamp lets in (0001 to 9999) have
 * four digits in both. Parsing PostgreSQL's text into a Date and rendering it again cost the task list about 5 µs per
 * timestamp, 40 of them per page of 20 (issue 12's list workload).
 */
export const isoTimestamp = (column: string) => `to_char(t.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;

/** The columns of a task, as every task query returns them (`t` is the tasks table). */
export const TASK_COLUMNS = `t.id, t.title, t.description, t.status, t.tags, ${['due_at', 'created_at', 'updated_at'].map(isoTimestamp).join(', ')}`;

export interface ListFilter {
  /** Only tasks with an id below this one (the cursor). */
  beforeId?: number | undefined;
  status?: TaskStatus | undefined;
  tag?: string | undefined;
}

export interface ListQuery {
  /** One prepared statement per filter combination (the text differs only by which filters are present). */
  name: string;
  text: string;
  values: unknown[];
}

/**
 * The SQL of one page of a user's tasks, newest first. Every filter combination is a keyset range scan whose cost
 * depends on `limit` only: on tasks (user_id, id DESC) or (user_id, status, id DESC) without a tag, on task_tags
 * (user_id, tag, task_id) with a tag, and on task_tags (user_id, tag, status, task_id DESC) with both (the status is
 * copied into task_tags by trigger, migration 002). With a tag, the page of ids is taken from task_tags first (a
 * LIMIT in a subquery, which the planner keeps as it is) and only those tasks are fetched: joined directly, the
 * planner may merge-join with tasks_pkey and walk every newer task of every user down to the page. Kept apart from
 * the repository so a test can EXPLAIN the very query the app runs.
 */
export function taskListQuery(userId: number, limit: number, filter: ListFilter): ListQuery {
  const values: unknown[] = [userId];
  const param = (value: unknown): string => `$${values.push(value)}`;
  const id = filter.tag === undefined ? 'id' : 'task_id';
  const where = ['user_id = $1'];
  if (filter.tag !== undefined) where.push(`tag = ${param(filter.tag)}`);
  if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
  if (filter.beforeId !== undefined) where.push(`${id} < ${param(filter.beforeId)}`);
  const page = `WHERE ${where.join(' AND ')} ORDER BY ${id} DESC LIMIT ${param(limit)}`;
  const text =
    filter.tag === undefined
      ? `SELECT ${TASK_COLUMNS} FROM tasks t ${page}`
      : `SELECT ${TASK_COLUMNS} FROM (SELECT task_id FROM task_tags ${page}) p JOIN tasks t ON t.id = p.task_id ORDER BY p.task_id DESC`;
  const name = `tasks-list-${filter.tag === undefined ? '' : 't'}${filter.beforeId === undefined ? '' : 'c'}${filter.status === undefined ? '' : 's'}`;
  return { name, text, values };
}
