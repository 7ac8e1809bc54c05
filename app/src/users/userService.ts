import { hashToken, newToken } from './tokens.ts';
import type { User, UserRepository } from './userRepository.ts';

export interface NewUser extends User {
  /** Shown once, at creation; only its hash is stored. */
  token: string;
}

export class UserService {
  readonly #users: UserRepository;

  constructor(users: UserRepository) {
    this.#users = users;
  }

  async register(name: string, email: string): Promise<NewUser> {
    const token = newToken();
    const user = await this.#users.create(name, email, hashToken(token));
    return { ...user, token };
  }

  /** The id of the user a bearer token belongs to, if any. */
  async authenticate(token: string): Promise<number | undefined> {
    return this.#users.findIdByTokenHash(hashToken(token));
  }
}
