import { startDependencyCall } from '../dependencyTime.ts';
import { interceptQueries, type Queryable } from './interceptQueries.ts';

/**
 * Makes every query of `target` (a pool, or a client checked out of it) add its wall-clock time to the current
 * request's PostgreSQL tally. A pool query includes the wait for a free connection, which is time spent on PostgreSQL
 * too; the client query inside it overlaps and is counted once.
 */
export function timePostgresQueries(target: Queryable): void {
  interceptQueries(target, { started: () => startDependencyCall('postgres') });
}
