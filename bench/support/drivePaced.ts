import { Agent, request } from 'node:http';
import type autocannon from 'autocannon';

/** What the benches read of a run: autocannon's result fields, for a paced run too. */
export interface DriveResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
  statusCodeStats?: StatusCodeStats;
}
type StatusCodeStats = NonNullable<autocannon.Result['statusCodeStats']>;

/**
 * Sends requests (with `headers`, under each request's own) at an even rate over `connections` keep-alive connections, each with its own turn through
 * `requests` as autocannon's connections have (its `setupRequest` and `onResponse` hooks and their per-connection
 * context included): connection c sends its k-th request (k·connections + c) / rate seconds after the start, or as
 * soon as its previous one is answered if that is later, so none is ever sent early and every request due within
 * the duration is sent. autocannon's `overallRate` cannot do this: each of its connections sends its share of a
 * second back to back as the second begins and then waits for the next, so a "moderate" rate is a burst at full
 * concurrency once a second, and several autocannon runs started together burst at the same moments. Latency is
 * from sending to the whole answer, in ms to two decimals.
 */
export async function drivePaced(
  url: string,
  options: { durationS: number; connections: number; rate: number; headers: Record<string, string>; requests: autocannon.Request[] },
): Promise<DriveResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const { hostname, port } = new URL(url);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  const due = Math.floor(options.durationS * options.rate);
  const send = (spec: autocannon.Request): Promise<{ status: number; body: string } | undefined> =>
    new Promise((resolve) => {
      const start = performance.now();
      const headers = { ...options.headers, ...(spec.headers as Record<string, string> | undefined) };
      const outgoing = request({ agent, hostname, port, method: spec.method ?? 'GET', path: spec.path ?? '/', headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => {
          latencies.push(performance.now() - start);
          statuses.set(response.statusCode!, (statuses.get(response.statusCode!) ?? 0) + 1);
          resolve({ status: response.statusCode!, body: Buffer.concat(chunks).toString() });
        });
      });
      outgoing.once('error', () => {
        errors++;
        resolve(undefined);
      });
      outgoing.end(typeof spec.body === 'string' ? spec.body : undefined);
    });
  const started = performance.now();
  const connection = async (index: number): Promise<void> => {
    const context = {};
    for (let n = index, turn = 0; n < due; n += options.connections, turn++) {
      // A timer can fire up to a millisecond early (it counts from the event loop's cached time): wait again if so.
      const dueAt = started + (n / options.rate) * 1000;
      for (let wait = dueAt - performance.now(); wait > 0; wait = dueAt - performance.now()) await new Promise((resolve) => setTimeout(resolve, wait));
      const template = options.requests[turn % options.requests.length]!;
      const { setupRequest, onResponse } = template;
      const answer = await send(typeof setupRequest === 'function' ? setupRequest({ ...template }, context) : template);
      if (answer !== undefined && typeof onResponse === 'function') onResponse(answer.status, answer.body, context, {});
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, index) => connection(index)));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0) * 100) / 100;
  const non2xx = [...statuses].filter(([status]) => status < 200 || status > 299).reduce((sum, [, count]) => sum + count, 0);
  return {
    requests: { total: latencies.length, average: latencies.length / options.durationS },
    latency: { p50: percentile(50), p99: percentile(99) },
    errors,
    non2xx,
    statusCodeStats: Object.fromEntries([...statuses].map(([status, count]) => [status, { count }])) as StatusCodeStats,
  };
}
