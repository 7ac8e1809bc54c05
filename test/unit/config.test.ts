import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../app/src/config.ts';

const minimal = { ADMIN_TOKEN: 'a-long-enough-admin-token' };

test('defaults fill every variable that is not set', () => {
  const config = loadConfig(minimal);
  assert.equal(config.PORT, 3000);
  assert.equal(config.PG_POOL_MAX, 10);
  assert.equal(config.MIGRATE_ON_START, true);
});

test('values are coerced from strings', () => {
  const config = loadConfig({ ...minimal, PORT: '0', MIGRATE_ON_START: 'false', CACHE_TTL_SECONDS: '5' });
  assert.equal(config.PORT, 0);
  assert.equal(config.MIGRATE_ON_START, false);
  assert.equal(config.CACHE_TTL_SECONDS, 5);
});

test('a bad value stops start-up with a message naming each bad variable', () => {
  assert.throws(
    () => loadConfig({ ADMIN_TOKEN: 'short', PORT: '70000', DATABASE_URL: 'mysql://x' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of ['ADMIN_TOKEN', 'PORT', 'DATABASE_URL']) assert.match(error.message, new RegExp(name));
      return true;
    },
  );
});

test('an ADMIN_TOKEN the auth middleware would never accept stops start-up with a message saying what is allowed', () => {
  for (const token of ['my admin token is long!', 'ünïcödé-admin-token-0123', 'admin=token=with=padding=inside']) {
    assert.throws(
      () => loadConfig({ ADMIN_TOKEN: token }),
      (error: unknown) => error instanceof ConfigError && /ADMIN_TOKEN: must be a bearer token: at most 200 characters of A-Z/.test(error.message),
      token,
    );
  }
  assert.equal(loadConfig({ ADMIN_TOKEN: 'AZaz09-._~+/admin-token==' }).ADMIN_TOKEN, 'AZaz09-._~+/admin-token==');
});
