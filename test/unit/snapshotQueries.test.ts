import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { histogramQuantile, mergeHistograms } from '../../app/src/telemetry/snapshotQueries.ts';

const boundaries = [0.01, 0.1, 1];

test('a quantile is interpolated inside its bucket, as Prometheus histogram_quantile() does', () => {
  // 10 values in (0.01, 0.1], 10 in (0.1, 1]
  const histogram = { buckets: { boundaries, counts: [0, 10, 10, 0] }, count: 20, sum: 5, min: 0.02, max: 0.9 };
  const close = (actual: number | undefined, expected: number): void => assert.ok(Math.abs(actual! - expected) < 1e-9, `${actual} ≠ ${expected}`);
  close(histogramQuantile(0.5, histogram), 0.1);
  close(histogramQuantile(0.25, histogram), 0.055);
  close(histogramQuantile(0.9, histogram), 0.82);
  close(histogramQuantile(0.99, histogram), 0.9); // 0.991 interpolated, clamped to the recorded max
  assert.equal(histogramQuantile(0.5, { ...histogram, count: 0, buckets: { boundaries, counts: [0, 0, 0, 0] } }), undefined);
});

test('histograms with the same boundaries merge bucket by bucket', () => {
  const point = (counts: number[], min: number, max: number) => ({
    value: { buckets: { boundaries, counts }, count: counts.reduce((a, b) => a + b, 0), sum: 1, min, max },
    attributes: {},
    startTime: [0, 0] as [number, number],
    endTime: [0, 0] as [number, number],
  });
  const merged = mergeHistograms([point([1, 2, 0, 0], 0.005, 0.05), point([0, 1, 3, 1], 0.02, 3)]);
  assert.deepEqual(merged, { buckets: { boundaries, counts: [1, 3, 3, 1] }, count: 8, sum: 2, min: 0.005, max: 3 });
  assert.equal(mergeHistograms([]), undefined);
});
