import { z } from 'zod';
import { noNulCharacter } from '../validation/noNulCharacter.ts';
import { storableTimestamp } from '../validation/storableTimestamp.ts';

export const TASK_STATUSES = ['todo', 'doing', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface Task {
  id: number;
  title: string;
  description: string;
  status: TaskStatus;
  tags: string[];
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}_.-]{0,39}$/u, 'tags are 1-40 letters, digits, "_", "." or "-"');

/** Tags are stored lower-case and without repeats, so "Jazz" and "jazz " are one tag. */
const tags = z
  .array(tag)
  .max(20)
  .transform((values) => [...new Set(values)]);

const fields = {
  title: z.string().check(noNulCharacter).trim().min(1).max(200),
  description: z.string().check(noNulCharacter).max(10_000),
  status: z.enum(TASK_STATUSES),
  tags,
  dueAt: storableTimestamp.nullable(),
};

export const newTaskSchema = z.strictObject({
  title: fields.title,
  description: fields.description.default(''),
  status: fields.status.default('todo'),
  tags: fields.tags.default([]),
  dueAt: fields.dueAt.default(null),
});
export type NewTask = z.infer<typeof newTaskSchema>;

export const taskPatchSchema = z
  .strictObject({
    title: fields.title.optional(),
    description: fields.description.optional(),
    status: fields.status.optional(),
    tags: fields.tags.optional(),
    dueAt: fields.dueAt.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'at least one field is required');
export type TaskPatch = z.infer<typeof taskPatchSchema>;

export const MAX_PAGE_SIZE = 100;

export const taskListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  cursor: z.string().max(64).optional(),
  status: fields.status.optional(),
  tag: tag.optional(),
});
export type TaskListQuery = z.infer<typeof taskListQuerySchema>;

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}
