import { strict as assert } from 'node:assert';
import { beforeEach, test } from 'node:test';
import { functionTimings, resetFunctionTimings, timed, timedFunction, timedMethods } from '../../app/src/profiling/timed.ts';
import { FakeClock } from '../support/fakeClock.ts';

const clock = new FakeClock();
const options = { now: clock.now };

beforeEach(() => resetFunctionTimings());

test('timed() returns what a sync function returns and records count, total, avg, min and max exactly', () => {
  for (const ms of [10, 30, 20]) {
    const result = timed('work', () => { clock.advance(ms); return ms * 2; }, options);
    assert.equal(result, ms * 2);
  }
  assert.deepEqual(functionTimings(), [{ name: 'work', count: 3, totalMs: 60, avgMs: 20, minMs: 10, maxMs: 30 }]);
});

test('an async function is timed until its promise settles, a rejection included', async () => {
  const value = await timed('fetch', async () => { await clock.sleep(40); return 'ok'; }, options);
  assert.equal(value, 'ok');
  await assert.rejects(timed('fetch', async () => { await clock.sleep(60); throw new Error('down'); }, options), /down/);
  assert.deepEqual(functionTimings(), [{ name: 'fetch', count: 2, totalMs: 100, avgMs: 50, minMs: 40, maxMs: 60 }]);
});

test('a sync function that throws is timed and the error passes through', () => {
  assert.throws(() => timed('fails', () => { clock.advance(5); throw new Error('bad'); }, options), /bad/);
  assert.deepEqual(functionTimings(), [{ name: 'fails', count: 1, totalMs: 5, avgMs: 5, minMs: 5, maxMs: 5 }]);
});

test('timings are sorted by total time, the largest first', () => {
  timed('short', () => clock.advance(1), options);
  timed('long', () => clock.advance(50), options);
  timed('short', () => clock.advance(1), options);
  assert.deepEqual(functionTimings().map(({ name, count, totalMs }) => [name, count, totalMs]), [['long', 1, 50], ['short', 2, 2]]);
});

test('timedFunction() keeps arguments and this, and times every call', () => {
  const counter = {
    step: 3,
    add: timedFunction('counter.add', function (this: { step: number }, base: number) { clock.advance(2); return base + this.step; }, options),
  };
  assert.equal(counter.add(1), 4);
  assert.equal(counter.add(10), 13);
  assert.deepEqual(functionTimings(), [{ name: 'counter.add', count: 2, totalMs: 4, avgMs: 2, minMs: 2, maxMs: 2 }]);
});

test('timedMethods() times each method under prefix.method and leaves other properties alone', async () => {
  class Repository {
    rows = [1, 2, 3];
    async count(): Promise<number> { await clock.sleep(7); return this.rows.length; }
  }
  const repository = timedMethods('repo', new Repository(), options);
  assert.equal(await repository.count(), 3);
  assert.deepEqual(repository.rows, [1, 2, 3]);
  assert.equal(repository.count, repository.count);
  assert.deepEqual(functionTimings(), [{ name: 'repo.count', count: 1, totalMs: 7, avgMs: 7, minMs: 7, maxMs: 7 }]);
});

test('with the real clock, a known sleep is measured at least as long as it was', async () => {
  await timed('sleep', () => new Promise((resolve) => setTimeout(resolve, 30)));
  const [timing] = functionTimings();
  assert.equal(timing?.count, 1);
  assert.ok(timing !== undefined && timing.totalMs >= 25, `measured ${timing?.totalMs} ms`);
});
