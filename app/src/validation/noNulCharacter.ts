import { z } from 'zod';

/**
 * A check for every free-text field: PostgreSQL's text type cannot hold U+0000 (it answers SQLSTATE 22021), so the
 * character is refused with a 400 naming the field before the value reaches the database.
 * Use as `z.string().check(noNulCharacter)`.
 */
export const noNulCharacter = z.regex(/^[^\u0000]*$/, 'must not contain the NUL character (U+0000)');
