import { setTimeout as sleep } from 'node:timers/promises';

/** The body of Prometheus's /api/v1/query and /api/v1/query_range answers (docs: "HTTP API", expression queries). */
export interface QueryResponse {
  status: string;
  error?: string;
  data: { result: Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }> };
}

/** A GET on Prometheus's HTTP API, e.g. `queryPrometheus(url, '/api/v1/query', { query: 'up' })`. */
export async function queryPrometheus(prometheusUrl: string, path: string, params: Record<string, string>): Promise<QueryResponse> {
  const response = await fetch(`${prometheusUrl}${path}?${new URLSearchParams(params)}`);
  return (await response.json()) as QueryResponse;
}

/** The problem with an answer: its error, 'no data' when its result is empty, or undefined when it has data. */
export function missingData(body: QueryResponse): string | undefined {
  if (body.status !== 'success') return `${body.status}: ${body.error}`;
  if (body.data.result.length === 0) return 'no data';
  return undefined;
}

/**
 * Checks every item, then every second again those with a problem, until none has one or `timeoutMs` has passed.
 * Counters appear at their first increment, rates need two samples and recording rules an evaluation after that, so
 * on a busy machine a query may need a few more seconds. Returns the problems of the last round (empty: all passed).
 */
export async function problemsAfterRetries<T>(items: T[], check: (item: T) => Promise<string | undefined>, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let failing = items;
  for (;;) {
    const problems: string[] = [];
    const stillFailing: T[] = [];
    for (const item of failing) {
      const problem = await check(item);
      if (problem === undefined) continue;
      stillFailing.push(item);
      problems.push(problem);
    }
    failing = stillFailing;
    if (failing.length === 0 || Date.now() > deadline) return problems;
    await sleep(1_000);
  }
}
