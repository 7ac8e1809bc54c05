import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { newTaskSchema, taskListQuerySchema, taskPatchSchema } from '../../tasks/task.ts';
import type { TaskService } from '../../tasks/taskService.ts';
import { userIdOf } from '../auth.ts';
import { defineRoute } from '../defineRoute.ts';
import { validate } from '../validate.ts';

/** A task id is a plain decimal (no `0x10`, `1e0`, `01`, ` 1`, `1.0`, which Number() would read) and a safe integer. */
const idParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]*$/, 'must be a task id: a positive decimal integer without sign or leading zeros')
    .transform(Number)
    .refine(Number.isSafeInteger, 'must be at most 9007199254740991'),
});

/** Task CRUD for the calling user; `auth` must run first. */
export function taskRoutes(tasks: TaskService, auth: RequestHandler): Router {
  const router = Router();
  defineRoute(router, '/api/tasks', {
    get: [auth, async (req, res) => {
      res.json(await tasks.list(userIdOf(res), validate(taskListQuerySchema, req.query, 'query')));
    }],
    post: [auth, async (req, res) => {
      const userId = userIdOf(res);
      res.status(201).json(await tasks.create(userId, validate(newTaskSchema, req.body, 'body')));
    }],
  });
  defineRoute(router, '/api/tasks/:id', {
    get: [auth, async (req, res) => {
      const userId = userIdOf(res);
      res.json(await tasks.get(userId, validate(idParams, req.params, 'params').id));
    }],
    patch: [auth, async (req, res) => {
      const userId = userIdOf(res);
      const { id } = validate(idParams, req.params, 'params');
      res.json(await tasks.update(userId, id, validate(taskPatchSchema, req.body, 'body')));
    }],
    delete: [auth, async (req, res) => {
      const userId = userIdOf(res);
      await tasks.delete(userId, validate(idParams, req.params, 'params').id);
      res.status(204).end();
    }],
  });
  return router;
}
