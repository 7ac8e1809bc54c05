import { Router } from 'express';
import { z } from 'zod';
import type { UserService } from '../../users/userService.ts';
import { noNulCharacter } from '../../validation/noNulCharacter.ts';
import { defineRoute } from '../defineRoute.ts';
import { validate } from '../validate.ts';

const newUserSchema = z.strictObject({
  name: z.string().check(noNulCharacter).trim().min(1).max(100),
  email: z.email().check(noNulCharacter).max(254),
});

export function userRoutes(users: UserService): Router {
  const router = Router();
  defineRoute(router, '/api/users', {
    post: async (req, res) => {
      const { name, email } = validate(newUserSchema, req.body, 'body');
      res.status(201).json(await users.register(name, email));
    },
  });
  return router;
}
