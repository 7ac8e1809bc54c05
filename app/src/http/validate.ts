import type { z } from 'zod';
import { ValidationError } from '../errors.ts';

/** Parses one part of a request (body, query or params) or throws a 400 naming every offending field. */
export function validate<Schema extends z.ZodType>(schema: Schema, value: unknown, part: string): z.infer<Schema> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: [part, ...issue.path.map(String)], message: issue.message }));
  throw new ValidationError(`Invalid request ${part}: ${details.map((d) => d.path.join('.')).join(', ')}`, details);
}
