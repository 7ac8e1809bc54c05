import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { bucketsSince, histogramQuantile } from '../../app/src/profiling/histogramQuantile.ts';

const boundaries = [0.1, 0.5, 1];

test('quantiles interpolate inside the bucket that holds the rank, as histogram_quantile() does', () => {
  // 10 requests ≤ 0.1 s, 10 between 0.1 and 0.5 s.
  const buckets = { boundaries, counts: [10, 10, 0, 0] };
  assert.equal(histogramQuantile(0.5, buckets), 0.1);
  assert.equal(histogramQuantile(0.25, buckets), 0.05);
  assert.ok(Math.abs(histogramQuantile(0.75, buckets)! - 0.3) < 1e-12);
});

test('a rank in the open-ended last bucket gives the highest finite boundary', () => {
  assert.equal(histogramQuantile(0.99, { boundaries, counts: [1, 0, 0, 5] }), 1);
});

test('no observations, no quantile', () => {
  assert.equal(histogramQuantile(0.5, { boundaries, counts: [0, 0, 0, 0] }), undefined);
});

test('bucketsSince keeps only the observations made after the earlier reading', () => {
  const earlier = { boundaries, counts: [5, 1, 0, 0] };
  const later = { boundaries, counts: [5, 1, 4, 0] };
  assert.deepEqual(bucketsSince(later, earlier).counts, [0, 0, 4, 0]);
  assert.equal(histogramQuantile(0.5, bucketsSince(later, earlier)), 0.75);
});
