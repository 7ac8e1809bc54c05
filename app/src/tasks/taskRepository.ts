import type { Pool } from '../db/createPool.ts';
import type { NewTask, Task, TaskPatch, TaskStatus } from './task.ts';

interface TaskRow {
  id: number;
  title: string;
  description: string;
  status: TaskStatus;
  tags: string[];
  due_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 't.id, t.title, t.description, t.status, t.tags, t.due_at, t.created_at, t.updated_at';

const PATCH_COLUMNS = { title: 'title', description: 'description', status: 'status', tags: 'tags', dueAt: 'due_at' } as const;

export interface ListFilter {
  /** Only tasks with an id below this one (the cursor). */
  beforeId?: number | undefined;
  status?: TaskStatus | undefined;
  tag?: string | undefined;
}

/** Tasks in PostgreSQL. Every query is scoped to one user: another user's task is simply not found. */
export class TaskRepository {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /**
   * Up to `limit` of the user's tasks, newest first. A keyset range scan on (user_id, id) or on task_tags, so the
   * cost depends on `limit` only, not on how many tasks the user has or how deep the page is.
   */
  async list(userId: number, limit: number, filter: ListFilter): Promise<Task[]> {
    const values: unknown[] = [userId];
    const where: string[] = [];
    const param = (value: unknown): string => `$${values.push(value)}`;
    let from = 'tasks t';
    let order = 't.id';
    if (filter.tag === undefined) {
      where.push('t.user_id = $1');
    } else {
      from = 'task_tags tt JOIN tasks t ON t.id = tt.task_id';
      order = 'tt.task_id';
      where.push('tt.user_id = $1', `tt.tag = ${param(filter.tag)}`);
    }
    if (filter.beforeId !== undefined) where.push(`${order} < ${param(filter.beforeId)}`);
    if (filter.status !== undefined) where.push(`t.status = ${param(filter.status)}`);
    const text = `SELECT ${COLUMNS} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order} DESC LIMIT ${param(limit)}`;
    // One prepared statement per filter combination (the text differs only by which filters are present).
    const name = `tasks-list-${filter.tag === undefined ? '' : 't'}${filter.beforeId === undefined ? '' : 'c'}${filter.status === undefined ? '' : 's'}`;
    const { rows } = await this.#pool.query<TaskRow>({ name, text, values });
    return rows.map(toTask);
  }

  async get(userId: number, id: number): Promise<Task | undefined> {
    const { rows } = await this.#pool.query<TaskRow>({
      name: 'tasks-get',
      text: `SELECT ${COLUMNS} FROM tasks t WHERE t.id = $1 AND t.user_id = $2`,
      values: [id, userId],
    });
    return rows[0] && toTask(rows[0]);
  }

  async create(userId: number, task: NewTask): Promise<Task> {
    const { rows } = await this.#pool.query<TaskRow>({
      name: 'tasks-create',
      text: `INSERT INTO tasks AS t (user_id, title, description, status, tags, due_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      values: [userId, task.title, task.description, task.status, task.tags, task.dueAt],
    });
    return toTask(rows[0]!);
  }

  async update(userId: number, id: number, patch: TaskPatch): Promise<Task | undefined> {
    const values: unknown[] = [id, userId];
    const assignments = Object.entries(PATCH_COLUMNS)
      .filter(([field]) => patch[field as keyof TaskPatch] !== undefined)
      .map(([field, column]) => `${column} = $${values.push(patch[field as keyof TaskPatch])}`);
    const { rows } = await this.#pool.query<TaskRow>(
      `UPDATE tasks AS t SET ${assignments.join(', ')}, updated_at = now()
       WHERE t.id = $1 AND t.user_id = $2 RETURNING ${COLUMNS}`,
      values,
    );
    return rows[0] && toTask(rows[0]);
  }

  /** True when a task was deleted. */
  async delete(userId: number, id: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query({
      name: 'tasks-delete',
      text: 'DELETE FROM tasks WHERE id = $1 AND user_id = $2',
      values: [id, userId],
    });
    return rowCount === 1;
  }

  /** The user's most used tags, most used first. */
  async topTags(userId: number, limit: number): Promise<string[]> {
    const { rows } = await this.#pool.query<{ tag: string }>({
      name: 'tasks-top-tags',
      text: 'SELECT tag FROM user_tag_counts WHERE user_id = $1 AND count > 0 ORDER BY count DESC, tag LIMIT $2',
      values: [userId, limit],
    });
    return rows.map((row) => row.tag);
  }
}

function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    tags: row.tags,
    dueAt: row.due_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
