import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../../app/src/config.ts';
import { bearerTokenOf } from '../../app/src/http/bearerToken.ts';

/** Characters tokens are made of, and a few that they may not contain. */
const tokenish = fc.string({
  unit: fc.constantFrom(...'Aa0-._~+/=', ' ', '!', 'é', '\t', ':'),
  minLength: 16,
  maxLength: 210,
});

test('ADMIN_TOKEN starts the service exactly when the auth middleware accepts it as a bearer token', () => {
  fc.assert(
    fc.property(tokenish, (token) => {
      const starts = (() => {
        try {
          return loadConfig({ ADMIN_TOKEN: token }).ADMIN_TOKEN === token;
        } catch {
          return false;
        }
      })();
      assert.equal(starts, bearerTokenOf(`Bearer ${token}`) === token, JSON.stringify(token));
    }),
    { numRuns: 500 },
  );
});

test('a bearer credential is read whatever the case of the scheme and however many spaces follow it', () => {
  assert.equal(bearerTokenOf('bearer abc'), 'abc');
  assert.equal(bearerTokenOf('BEARER    abc=='), 'abc==');
  for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearerabc', 'Bearer a=b', 'Bearer a b', `Bearer ${'a'.repeat(201)}`]) {
    assert.equal(bearerTokenOf(header), undefined, String(header));
  }
});
