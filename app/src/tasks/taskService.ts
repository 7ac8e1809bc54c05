import { NotFoundError } from '../errors.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { NewTask, Task, TaskListQuery, TaskPage, TaskPatch } from './task.ts';
import { countTaskChange } from './taskMetrics.ts';
import type { TaskRepository } from './taskRepository.ts';

/** The task use cases of one user; knows nothing of HTTP. */
export class TaskService {
  readonly #tasks: TaskRepository;

  constructor(tasks: TaskRepository) {
    this.#tasks = tasks;
  }

  async list(userId: number, query: TaskListQuery): Promise<TaskPage> {
    const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    // One row more than asked tells whether another page exists without a COUNT.
    const rows = await this.#tasks.list(userId, query.limit + 1, { beforeId, status: query.status, tag: query.tag });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null };
  }

  async get(userId: number, id: number): Promise<Task> {
    return (await this.#tasks.get(userId, id)) ?? notFound(id);
  }

  async create(userId: number, task: NewTask): Promise<Task> {
    const created = await this.#tasks.create(userId, task);
    countTaskChange('created');
    return created;
  }

  async update(userId: number, id: number, patch: TaskPatch): Promise<Task> {
    const updated = (await this.#tasks.update(userId, id, patch)) ?? notFound(id);
    countTaskChange('updated');
    return updated;
  }

  async delete(userId: number, id: number): Promise<void> {
    if (!(await this.#tasks.delete(userId, id))) notFound(id);
    countTaskChange('deleted');
  }
}

function notFound(id: number): never {
  throw new NotFoundError(`Task ${id} not found`);
}
