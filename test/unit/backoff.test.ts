import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, parseRetryAfter } from '../../app/src/recommendations/backoff.ts';

test('backoff doubles its ceiling per retry and is capped by the maximum', () => {
  const justBelowOne = () => 0.999_999;
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, 100, 2000, justBelowOne)), [99, 199, 399, 799, 1599, 1999]);
});

test('full jitter spreads the wait uniformly between zero and the ceiling', () => {
  assert.equal(backoffDelay(3, 100, 5000, () => 0), 0);
  assert.equal(backoffDelay(3, 100, 5000, () => 0.5), 400);
  assert.equal(backoffDelay(3, 100, 5000, () => 0.25), 200);
});

test('Retry-After in delta-seconds becomes milliseconds', () => {
  assert.equal(parseRetryAfter('0', 0), 0);
  assert.equal(parseRetryAfter('2', 0), 2000);
  assert.equal(parseRetryAfter(' 120 ', 0), 120_000);
});

test('Retry-After as an HTTP date is the time until then, and zero when it has passed', () => {
  const now = Date.parse('Tue, 24 Nov 2026 10:00:00 GMT');
  assert.equal(parseRetryAfter('Tue, 24 Nov 2026 10:00:03 GMT', now), 3000);
  assert.equal(parseRetryAfter('Tue, 24 Nov 2026 09:59:00 GMT', now), 0);
});

test('a missing or unreadable Retry-After is ignored', () => {
  for (const header of [null, '', 'soon', '-1', '1.5', '12:00']) assert.equal(parseRetryAfter(header, 0), undefined, String(header));
});
