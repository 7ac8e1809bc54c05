import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetryBudget } from '../../app/src/recommendations/retryBudget.ts';

test('a fresh budget allows a burst of retries up to its reserve, then refuses', () => {
  const budget = new RetryBudget({ ratio: 0.1, maxTokens: 3 });
  assert.deepEqual([1, 2, 3, 4].map(() => budget.tryRetry()), [true, true, true, false]);
});

test('when every call fails, retries settle at the budget ratio of calls', () => {
  const budget = new RetryBudget({ ratio: 0.2, maxTokens: 10 });
  let retries = 0;
  const calls = 1000;
  for (let call = 0; call < calls; call++) {
    budget.recordCall();
    // A caller that wants 3 retries per call.
    for (let attempt = 0; attempt < 3 && budget.tryRetry(); attempt++) retries++;
  }
  assert.ok(retries <= calls * 0.2 + 10, `${retries} retries for ${calls} calls`);
  assert.ok(retries >= calls * 0.2 - 1, `${retries} retries: the budget should still allow its share`);
});

test('calls refill the budget, but never above its maximum', () => {
  const budget = new RetryBudget({ ratio: 0.5, maxTokens: 2 });
  for (let call = 0; call < 100; call++) budget.recordCall();
  assert.equal(budget.tokens, 2);
  budget.tryRetry();
  budget.tryRetry();
  assert.equal(budget.tryRetry(), false);
  budget.recordCall();
  budget.recordCall();
  assert.equal(budget.tryRetry(), true);
});
