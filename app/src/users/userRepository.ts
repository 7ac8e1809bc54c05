import { ConflictError } from '../errors.ts';
import type { Pool } from '../db/createPool.ts';

export interface User {
  id: number;
  name: string;
  email: string;
}

const UNIQUE_VIOLATION = '23505';

export class UserRepository {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Stores a user with the hash of their token; a taken e-mail (any case) is a 409. */
  async create(name: string, email: string, tokenHash: Buffer): Promise<User> {
    try {
      const { rows } = await this.#pool.query<User>(
        'INSERT INTO users (name, email, token_hash) VALUES ($1, $2, $3) RETURNING id, name, email',
        [name, email, tokenHash],
      );
      return rows[0]!;
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ConflictError('EMAIL_TAKEN', 'A user with this email already exists');
      }
      throw error;
    }
  }

  async findIdByTokenHash(tokenHash: Buffer): Promise<number | undefined> {
    const { rows } = await this.#pool.query<{ id: number }>({
      name: 'user-by-token',
      text: 'SELECT id FROM users WHERE token_hash = $1',
      values: [tokenHash],
    });
    return rows[0]?.id;
  }
}
