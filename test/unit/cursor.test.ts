import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCursor, encodeCursor } from '../../app/src/tasks/cursor.ts';
import { ValidationError } from '../../app/src/errors.ts';

test('a cursor decodes to the id it was made from', () => {
  for (const id of [1, 42, 9_007_199_254_740_991]) assert.equal(decodeCursor(encodeCursor(id)), id);
});

test('anything that is not a cursor of this API is a validation error', () => {
  for (const bad of ['', 'zzz', encodeCursor(1).slice(0, -1) + '*', Buffer.from('t0').toString('base64url'), Buffer.from('t99999999999999999').toString('base64url')]) {
    assert.throws(() => decodeCursor(bad), ValidationError, bad);
  }
});
