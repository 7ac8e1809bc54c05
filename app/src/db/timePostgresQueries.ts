import type pg from 'pg';
import { startDependencyCall } from '../dependencyTime.ts';

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.ClientBase, 'query'>;

/**
 * Makes every query of `target` (a pool, or a client checked out of it) add its wall-clock time to the current
 * request's PostgreSQL tally, in the promise and the callback style alike. A pool query includes the wait for a free
 * connection, which is time spent on PostgreSQL too; the client query inside it overlaps and is counted once.
 */
export function timePostgresQueries(target: Queryable): void {
  const query = target.query.bind(target) as (...args: unknown[]) => unknown;
  const timed = (...args: unknown[]): unknown => {
    const end = startDependencyCall('postgres');
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (...results: unknown[]) => {
        end();
        return Reflect.apply(callback, undefined, results);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) result.then(end, end);
    // A submittable (a cursor, a stream) reports its end through its own events: not measured.
    else end();
    return result;
  };
  target.query = timed as typeof target.query;
}
