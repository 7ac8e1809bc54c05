import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { currentDependencyTimes, startDependencyCall, timeDependency, withDependencyTimes } from '../../app/src/dependencyTime.ts';

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1000;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

test('parallel calls of one kind count their wall-clock overlap once', () => {
  const clock = manualClock();
  withDependencyTimes((readTimes) => {
    const first = startDependencyCall('postgres', clock.now);
    clock.advance(10);
    const second = startDependencyCall('postgres', clock.now); // overlaps the first from t=10
    clock.advance(30);
    first(); // t=40
    clock.advance(20);
    second(); // t=60: postgres was busy from 0 to 60
    clock.advance(100); // idle
    const third = startDependencyCall('postgres', clock.now);
    clock.advance(5);
    third();
    assert.equal(readTimes().postgres, 65);
  });
});

test('kinds are tallied separately, and calls still in flight count up to now', () => {
  const clock = manualClock();
  withDependencyTimes(() => {
    const redis = startDependencyCall('redis', clock.now);
    const catalog = startDependencyCall('catalog', clock.now);
    clock.advance(40);
    redis();
    clock.advance(10);
    assert.deepEqual(currentDependencyTimes(clock.now()), { postgres: 0, redis: 40, catalog: 50 });
    catalog();
  });
});

test('ending a call twice counts it once', () => {
  const clock = manualClock();
  withDependencyTimes((readTimes) => {
    const end = startDependencyCall('redis', clock.now);
    clock.advance(7);
    end();
    clock.advance(7);
    end();
    assert.equal(readTimes().redis, 7);
  });
});

test('concurrent requests keep their own tallies, never more than their own duration', async () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const request = (ms: number) =>
    withDependencyTimes(async (readTimes) => {
      const start = performance.now();
      await Promise.all([timeDependency('catalog', () => sleep(ms)), timeDependency('catalog', () => sleep(ms))]);
      return { durationMs: performance.now() - start, readTimes };
    });
  const [short, long] = await Promise.all([request(20), request(120)]);
  assert.ok(short.readTimes().catalog >= 19 && short.readTimes().catalog <= short.durationMs + 1, `short: ${short.readTimes().catalog} ms`);
  assert.ok(long.readTimes().catalog >= 119 && long.readTimes().catalog <= long.durationMs + 1, `long: ${long.readTimes().catalog} ms`);
});

test('outside a request nothing is tallied', async () => {
  assert.equal(currentDependencyTimes(), undefined);
  assert.equal(await timeDependency('postgres', async () => 42), 42);
});
