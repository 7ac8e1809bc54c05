import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../app/src/config.ts';

const minimal = { ADMIN_TOKEN: 'a-long-enough-admin-token' };

test('the catalog deadline defaults to 3 s and the response cap to 1 MiB', () => {
  const config = loadConfig(minimal);
  assert.equal(config.CATALOG_DEADLINE_MS, 3000);
  assert.equal(config.CATALOG_MAX_RESPONSE_BYTES, 1_048_576);
});

test('a catalog deadline shorter than one attempt\'s timeout stops start-up, naming both variables', () => {
  assert.throws(
    () => loadConfig({ ...minimal, CATALOG_TIMEOUT_MS: '2000', CATALOG_DEADLINE_MS: '1500' }),
    (error: unknown) => error instanceof ConfigError && /CATALOG_DEADLINE_MS: must be at least CATALOG_TIMEOUT_MS \(2000\)/.test(error.message),
  );
  assert.equal(loadConfig({ ...minimal, CATALOG_TIMEOUT_MS: '2000', CATALOG_DEADLINE_MS: '2000' }).CATALOG_DEADLINE_MS, 2000);
});

test('without CATALOG_DEADLINE_MS a timeout longer than 3 s becomes the deadline: one attempt always fits', () => {
  assert.equal(loadConfig({ ...minimal, CATALOG_TIMEOUT_MS: '10000' }).CATALOG_DEADLINE_MS, 10_000);
});
