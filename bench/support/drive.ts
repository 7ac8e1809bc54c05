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
