import type { Pool } from '../db/createPool.ts';
import type { NewTask, Task, TaskPatch, TaskStatus } from './task.ts';
import { TASK_COLUMNS, taskListQuery, type ListFilter } from './taskListQuery.ts';

interface TaskRow {
  id: number;
  title: string;
  description: string;
  status: TaskStatus;
  tags: string[];
  /** ISO 8601, from TASK_COLUMNS. */
  due_at: string | null;
  created_at: string;
  updated_at: string;
}

const PATCH_COLUMNS = { title: 'title', description: 'description', status: 'status', tags: 'tags', dueAt: 'due_at' } as const;

/** Tasks in PostgreSQL. Every query is scoped to one user: another user's task is simply not found. */
export class TaskRepository {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Up to `limit` of the user's tasks, newest first: one keyset range scan (see taskListQuery). */
  async list(userId: number, limit: number, filter: ListFilter): Promise<Task[]> {
    const { rows } = await this.#pool.query<TaskRow>(taskListQuery(userId, limit, filter));
    return rows.map(toTask);
  }

  async get(userId: number, id: number): Promise<Task | undefined> {
    const { rows } = await this.#pool.query<TaskRow>({
      name: 'tasks-get',
      text: `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1 AND t.user_id = $2`,
      values: [id, userId],
    });
    return rows[0] && toTask(rows[0]);
  }

  async create(userId: number, task: NewTask): Promise<Task> {
    const { rows } = await this.#pool.query<TaskRow>({
      name: 'tasks-create',
      text: `INSERT INTO tasks AS t (user_id, title, description, status, tags, due_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${TASK_COLUMNS}`,
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
       WHERE t.id = $1 AND t.user_id = $2 RETURNING ${TASK_COLUMNS}`,
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
    dueAt: row.due_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
