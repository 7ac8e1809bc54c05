import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { RingBuffer } from '../../app/src/profiling/RingBuffer.ts';

test('a ring buffer keeps the newest items, oldest first', () => {
  const ring = new RingBuffer<number>(3);
  assert.deepEqual(ring.toArray(), []);
  ring.push(1);
  ring.push(2);
  assert.deepEqual(ring.toArray(), [1, 2]);
  for (const n of [3, 4, 5]) ring.push(n);
  assert.deepEqual(ring.toArray(), [3, 4, 5]);
});

test('a ring buffer needs a positive capacity', () => {
  assert.throws(() => new RingBuffer(0), RangeError);
});
