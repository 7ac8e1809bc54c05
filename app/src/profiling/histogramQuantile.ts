/** Bucket counts of an explicit-bucket histogram: `counts[i]` observations ≤ `boundaries[i]`, the last one above them all. */
export interface Buckets {
  boundaries: readonly number[];
  counts: readonly number[];
}

/**
 * The q-quantile (0–1) estimated from bucket counts the way Prometheus's `histogram_quantile()` does: linear
 * interpolation inside the bucket holding the rank, the first bucket starting at 0, and the highest finite boundary
 * when the rank falls in the open-ended last bucket. Undefined without observations.
 */
export function histogramQuantile(q: number, { boundaries, counts }: Buckets): number | undefined {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (const [index, count] of counts.entries()) {
    if (below + count >= rank && count > 0) {
      const upper = boundaries[index];
      if (upper === undefined) return boundaries.at(-1) ?? 0;
      const lower = index === 0 ? 0 : boundaries[index - 1]!;
      return lower + (upper - lower) * ((rank - below) / count);
    }
    below += count;
  }
  return boundaries.at(-1) ?? 0;
}

/** The observations of `later` that `earlier` (an older reading of the same cumulative histogram) does not have yet. */
export function bucketsSince(later: Buckets, earlier: Buckets | undefined): Buckets {
  if (earlier === undefined) return later;
  return { boundaries: later.boundaries, counts: later.counts.map((count, index) => count - (earlier.counts[index] ?? 0)) };
}
