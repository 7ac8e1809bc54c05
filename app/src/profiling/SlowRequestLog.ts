import type { Counter } from '@opentelemetry/api';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import { appMeter } from '../appMeter.ts';
import { memoized } from '../memoized.ts';
import type { DependencyTimes } from '../dependencyTime.ts';
import { RingBuffer } from './RingBuffer.ts';

/** One request that took longer than the slow request threshold. */
export interface SlowRequest {
  /** When the response was done (ISO 8601). */
  timestamp: string;
  method: string;
  /** The route template (`/api/tasks/:id`), never the raw URL. */
  route: string;
  statusCode: number;
  durationMs: number;
  /** The request's trace; `traceSampled` says whether its spans were exported. Absent without telemetry. */
  traceId?: string;
  traceSampled?: boolean;
  /** Wall-clock time waiting on each dependency; `other` is the rest (the app's own work, queueing). */
  breakdownMs: DependencyTimes & { other: number };
  /** File name of the CPU profile captured automatically while this request ran, if any. */
  profile?: string;
}

/**
 * The last slow requests, in a bounded ring buffer, and the counter `app.slow_requests` (Prometheus:
 * `app_slow_requests_total{http_route}`), so the admin page and the dashboards agree on how many there were.
 */
export class SlowRequestLog {
  readonly #entries: RingBuffer<SlowRequest>;
  readonly #counter: Counter;
  readonly #byRoute = memoized((route: string) => ({ [ATTR_HTTP_ROUTE]: route }));

  constructor(capacity: number) {
    this.#entries = new RingBuffer(capacity);
    this.#counter = appMeter().createCounter('app.slow_requests', {
      description: 'Requests slower than the slow request threshold (SLOW_REQUEST_MS).',
      unit: '{request}',
    });
  }

  record(entry: SlowRequest): void {
    this.#entries.push(entry);
    this.#counter.add(1, this.#byRoute(entry.route));
  }

  /** Newest first. */
  list(): SlowRequest[] {
    return this.#entries.toArray().reverse();
  }
}
