import autocannon from 'autocannon';
import type { BenchApp } from './startBenchApp.ts';

export interface DriveOptions {
  durationS: number;
  connections: number;
  /** The requests each connection sends in turn (JSON bodies; the bench user's token on every one). */
  requests: autocannon.Request[];
  /** Requests per second over all connections. @default as fast as the app answers */
  overallRate?: number;
}

/** Drives `app` with autocannon for `durationS` seconds and returns what autocannon measured. */
export function drive(app: BenchApp, options: DriveOptions): Promise<autocannon.Result> {
  return autocannon({
    url: app.url,
    connections: options.connections,
    duration: options.durationS,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
    requests: options.requests,
  });
}

/** Throws unless every request of the run got a 2xx answer, naming the statuses it got instead. */
export function assertAllAnswered(result: autocannon.Result, label: string): void {
  if (result.errors === 0 && result.non2xx === 0) return;
  const statuses = Object.entries(result.statusCodeStats as Record<string, { count: number }>)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, { count }]) => `${count} × ${status}`);
  throw new Error(`${label}: ${result.errors} errors, ${result.non2xx} non-2xx answers (${statuses.join(', ')})`);
}
