import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { memoized } from '../../app/src/memoized.ts';

test('the same arguments give the same frozen object, built once; different arguments give equal-to-built objects', () => {
  let builds = 0;
  const of = memoized((route: string, status: number | undefined) => {
    builds += 1;
    return { route, ...(status !== undefined && { status }) };
  });
  const first = of('/api/tasks', 200);
  assert.equal(of('/api/tasks', 200), first);
  assert.ok(Object.isFrozen(first));
  assert.equal(builds, 1);
  assert.deepEqual(of('/api/tasks', undefined), { route: '/api/tasks' });
  assert.notEqual(of('/api/tasks', undefined), first);
  assert.equal(builds, 2);
});

test('argument lists that a joined string key would confuse stay apart', () => {
  const of = memoized((a: string | undefined, b: string) => ({ a: String(a), b }));
  assert.notEqual(of(undefined, 'x'), of('undefined', 'x'));
  assert.notEqual(of('a b', 'c'), of('a', 'b c'));
  assert.notEqual(of('1', 'x'), memoized((a: number, b: string) => ({ a, b }))(1, 'x'));
});

test('property: memoized results equal what build returns, for any argument lists, identical for equal ones', () => {
  const arg = fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant(undefined));
  fc.assert(
    fc.property(fc.array(fc.tuple(arg, arg, arg), { maxLength: 40 }), (calls) => {
      const build = (x: unknown, y: unknown, z: unknown) => ({ x: String(x), y: String(y), z: String(z), kinds: `${typeof x}${typeof y}${typeof z}` });
      const of = memoized(build as (x: string | number | boolean | undefined, y: string | number | boolean | undefined, z: string | number | boolean | undefined) => Record<string, string>);
      const seen = new Map<string, unknown>();
      for (const [x, y, z] of calls) {
        const attributes = of(x, y, z);
        assert.deepEqual(attributes, build(x, y, z));
        const key = JSON.stringify([x === undefined ? '\u0000u' : x, y === undefined ? '\u0000u' : y, z === undefined ? '\u0000u' : z]);
        if (seen.has(key)) assert.equal(attributes, seen.get(key));
        else seen.set(key, attributes);
      }
    }),
  );
});

test('beyond maxEntries, objects are still right but no longer remembered', () => {
  const of = memoized((n: number) => ({ n }), 2);
  const kept = [of(1), of(2)];
  assert.equal(of(1), kept[0]);
  const unkept = of(3);
  assert.deepEqual(unkept, { n: 3 });
  assert.notEqual(of(3), unkept);
});
