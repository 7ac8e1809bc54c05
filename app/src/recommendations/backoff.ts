/**
 * Exponential backoff with full jitter (a uniform wait between 0 and base·2^retry, capped): spreads the retries
 * of many clients over time instead of synchronising them into waves.
 * @param retry 0 for the first retry, 1 for the second, …
 * @param random uniform in [0, 1), injected so tests are deterministic
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delta-seconds (`"2"`) or an HTTP date. Undefined when
 * absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (!/[a-z]/i.test(text) || Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
