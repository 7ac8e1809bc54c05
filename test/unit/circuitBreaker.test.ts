import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitBreaker } from '../../app/src/recommendations/circuitBreaker.ts';
import { FakeClock } from '../support/fakeClock.ts';

function breaker(clock: FakeClock): CircuitBreaker {
  return new CircuitBreaker({ threshold: 3, cooldownMs: 10_000, now: clock.now });
}

function fail(target: CircuitBreaker, times: number): void {
  for (let n = 0; n < times; n++) {
    assert.ok(target.tryAcquire());
    target.onFailure();
  }
}

test('the breaker opens after the threshold of consecutive failures and then refuses calls', () => {
  const clock = new FakeClock();
  const target = breaker(clock);
  fail(target, 2);
  assert.equal(target.state, 'closed');
  fail(target, 1);
  assert.equal(target.state, 'open');
  assert.equal(target.tryAcquire(), false);
});

test('a success resets the count: only consecutive failures open it', () => {
  const target = breaker(new FakeClock());
  fail(target, 2);
  assert.ok(target.tryAcquire());
  target.onSuccess();
  fail(target, 2);
  assert.equal(target.state, 'closed');
});

test('after the cooldown it is half-open and lets exactly one trial call through', () => {
  const clock = new FakeClock();
  const target = breaker(clock);
  fail(target, 3);
  clock.advance(9_999);
  assert.equal(target.state, 'open');
  clock.advance(1);
  assert.equal(target.state, 'half-open');
  assert.equal(target.tryAcquire(), true);
  assert.equal(target.tryAcquire(), false, 'a second call while the trial is in flight');
});

test('a successful trial closes the breaker', () => {
  const clock = new FakeClock();
  const target = breaker(clock);
  fail(target, 3);
  clock.advance(10_000);
  assert.ok(target.tryAcquire());
  target.onSuccess();
  assert.equal(target.state, 'closed');
  assert.ok(target.tryAcquire());
});

test('a failed trial opens it again for a whole cooldown', () => {
  const clock = new FakeClock();
  const target = breaker(clock);
  fail(target, 3);
  clock.advance(10_000);
  assert.ok(target.tryAcquire());
  target.onFailure();
  assert.equal(target.state, 'open');
  clock.advance(9_999);
  assert.equal(target.state, 'open');
  clock.advance(1);
  assert.equal(target.state, 'half-open');
});
