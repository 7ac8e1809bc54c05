import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const ENTRY = './dist/telemetry/register.js';
const printCacheDir = "console.log(require('node:module').getCompileCacheDir() ?? 'none')";

function runEntry(env: Record<string, string>): string {
  return execFileSync(process.execPath, ['--import', ENTRY, '-e', printCacheDir], {
    // Without NODE_COMPILE_CACHE, which would make Node turn the cache on by itself.
    env: { ...withoutCompileCacheVariables(process.env), OTEL_SDK_DISABLED: 'true', ...env },
    encoding: 'utf8',
  }).trim();
}

function withoutCompileCacheVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_COMPILE_CACHE: _cache, NODE_DISABLE_COMPILE_CACHE: _disable, ...rest } = env;
  return rest;
}

test("the telemetry entry turns on Node's compile cache (under the temp directory by default) and fills it", (t) => {
  const temp = mkdtempSync(join(tmpdir(), 'compile-cache-'));
  t.after(() => rmSync(temp, { recursive: true, force: true }));
  const cacheDir = join(temp, 'node-compile-cache');
  assert.ok(runEntry({ TMPDIR: temp }).startsWith(cacheDir));
  assert.ok(readdirSync(cacheDir, { recursive: true }).length > 0, 'cache entries written at exit');
});

test('NODE_DISABLE_COMPILE_CACHE=1 leaves it off', () => {
  assert.equal(runEntry({ NODE_DISABLE_COMPILE_CACHE: '1' }), 'none');
});
