import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { shippedNodeOptions } from '../../bench/overhead/shippedNodeOptions.ts';

test("bench:overhead runs its variants with the compose app's V8 heap caps", () => {
  const flags = shippedNodeOptions().split(' ');
  assert.ok(flags.some((flag) => /^--max-semi-space-size=\d+$/.test(flag)), flags.join(' '));
  assert.ok(flags.some((flag) => /^--max-old-space-size=\d+$/.test(flag)), flags.join(' '));
});

test('a compose file whose app sets no NODE_OPTIONS is an error, not a silent run without flags', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'compose-')), 'docker-compose.yml');
  writeFileSync(file, 'services:\n  app:\n    environment:\n      PORT: "3000"\n');
  assert.throws(() => shippedNodeOptions(file), /NODE_OPTIONS is not a string/);
});
