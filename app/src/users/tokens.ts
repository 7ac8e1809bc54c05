import { createHash, randomBytes } from 'node:crypto';

/** A new bearer token: 32 random bytes, shown to the user once. */
export function newToken(): string {
  return `tok_${randomBytes(32).toString('base64url')}`;
}

/** What is stored instead of the token: a SHA-256 digest (the token is random, so no salt or slow hash is needed). */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
