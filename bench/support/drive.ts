import autocannon from 'autocannon';
import { drivePaced, type DriveResult } from './drivePaced.ts';

export type { DriveResult };
import type { BenchApp } from './startBenchApp.ts';

export interface DriveOptions {
  durationS: number;
  connections: number;
  /** The requests each connection sends in turn (JSON bodies; the bench user's token on every one). */
  requests: autocannon.Request[];
  /** Requests per second over all connections, sent evenly (drivePaced.ts). @default as fast as the app answers (autocannon) */
  overallRate?: number;
}

/** Drives `app` for `durationS` seconds: as fast as it answers with autocannon, or at an even `overallRate`. */
export function drive(app: BenchApp, options: DriveOptions): Promise<DriveResult> {
  const headers = { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' };
  if (options.overallRate !== undefined) return drivePaced(app.url, { ...options, rate: options.overallRate, headers });
  return autocannon({ url: app.url, connections: options.connections, duration: options.durationS, headers, requests: options.requests });
}

/** Throws unless every request of the run got a 2xx answer, naming the statuses it got instead. */
export function assertAllAnswered(result: DriveResult, label: string): void {
  if (result.errors === 0 && result.non2xx === 0) return;
  const statuses = Object.entries(result.statusCodeStats as Record<string, { count: number }>)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, { count }]) => `${count} × ${status}`);
  throw new Error(`${label}: ${result.errors} errors, ${result.non2xx} non-2xx answers (${statuses.join(', ')})`);
}
