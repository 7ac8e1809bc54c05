import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sqlOperationName } from '../../app/src/telemetry/sqlOperationName.ts';

test('the operation of a statement is its first keyword, upper-case', () => {
  assert.equal(sqlOperationName('select 1'), 'SELECT');
  assert.equal(sqlOperationName('  \n\tINSERT INTO tasks VALUES ($1)'), 'INSERT');
  assert.equal(sqlOperationName('COMMIT;'), 'COMMIT');
  assert.equal(sqlOperationName('WITH x AS (SELECT 1) SELECT * FROM x'), 'WITH');
});

test('leading comments are skipped, so a commented statement is not labelled "--"', () => {
  assert.equal(sqlOperationName('-- Users, their tasks\n-- and tags\nCREATE TABLE users (id int)'), 'CREATE');
  assert.equal(sqlOperationName('/* migration 002 */ ALTER TABLE task_tags ADD COLUMN status text'), 'ALTER');
  assert.equal(sqlOperationName('/* a */ -- b\n /* c */DELETE FROM tasks'), 'DELETE');
});

test('a text without a keyword is OTHER, never an empty or raw label', () => {
  for (const text of ['', '   ', '-- only a comment', '/* unterminated', '$1', '(SELECT 1)']) assert.equal(sqlOperationName(text), 'OTHER', JSON.stringify(text));
});
