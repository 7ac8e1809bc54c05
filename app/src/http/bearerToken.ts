/**
 * The one definition of what `Authorization: Bearer <token>` may carry. The auth middleware reads tokens with it and
 * the config check holds ADMIN_TOKEN to it, so an admin token that starts the service can also log in.
 */

/** RFC 6750 §2.1 `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
const TOKEN = '[A-Za-z0-9\\-._~+/]+=*';
export const BEARER_TOKEN_MAX_LENGTH = 200;
/** What a token may be, in words, for error messages. */
export const BEARER_TOKEN_RULE =
  `at most ${BEARER_TOKEN_MAX_LENGTH} characters of A-Z, a-z, 0-9, "-", ".", "_", "~", "+", "/", optionally ending in "=" padding`;

const tokenPattern = new RegExp(`^${TOKEN}$`);
/** RFC 9110 §11.1: the auth-scheme is case-insensitive; §11.4: `credentials = auth-scheme [ 1*SP token68 ]`. */
const headerPattern = new RegExp(`^bearer +(${TOKEN})$`, 'i');

export function isBearerToken(value: string): boolean {
  return value.length <= BEARER_TOKEN_MAX_LENGTH && tokenPattern.test(value);
}

/** The token of an `Authorization` header value, or undefined when it is not a well-formed bearer credential. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  const token = headerPattern.exec(header ?? '')?.[1];
  return token !== undefined && token.length <= BEARER_TOKEN_MAX_LENGTH ? token : undefined;
}
