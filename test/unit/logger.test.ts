import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../app/src/logger.ts';

function capture(): { stream: Writable; lines: () => string } {
  let text = '';
  const stream = new Writable({ write: (chunk, _encoding, done) => ((text += chunk), done()) });
  return { stream, lines: () => text };
}

test('a logged driver error keeps its message and code but not the detail carrying user data', () => {
  const { stream, lines } = capture();
  const error = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
    code: '23505',
    detail: 'Key (lower(email))=(ada@example.com) already exists.',
    parameters: ['Ada', 'ada@example.com'],
  });
  createLogger('info', stream).error({ err: error }, 'unhandled error');
  const entry = JSON.parse(lines());
  assert.equal(entry.err.code, '23505');
  assert.match(entry.err.message, /users_email_key/);
  assert.ok(!lines().includes('ada@example.com'));
});

test('tokens and e-mail addresses in logged objects are redacted', () => {
  const { stream, lines } = capture();
  createLogger('info', stream).info({ user: { email: 'x@example.com', token: 'tok_secret' }, headers: { authorization: 'Bearer tok_secret' } }, 'hello');
  assert.ok(!lines().includes('x@example.com'));
  assert.ok(!lines().includes('tok_secret'));
});
