/** Like `Promise.allSettled(values.map(fn))`, but with at most `limit` calls of `fn` running at once. */
export async function mapWithConcurrency<T, R>(values: readonly T[], limit: number, fn: (value: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(values.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < values.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await fn(values[index] as T) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
  return results;
}
