import type pg from 'pg';

export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.ClientBase, 'query'>;

export interface QueryInterceptor {
  /** Called as a query starts; the function it returns is called once the query has settled. */
  started?(): () => void;
  /** What the caller gets instead of the driver's error. @default the error itself */
  mapError?(error: unknown): unknown;
}

/**
 * Wraps `target.query` (a pool's, or a client's checked out of it) in the promise and the callback style alike, so
 * one place can time every query or change the errors callers see. A submittable (a cursor, a stream) reports its end
 * through its own events and is passed through untouched.
 */
export function interceptQueries(target: Queryable, interceptor: QueryInterceptor): void {
  const query = target.query.bind(target) as (...args: unknown[]) => unknown;
  const mapError = interceptor.mapError ?? ((error: unknown) => error);
  const wrapped = (...args: unknown[]): unknown => {
    const settled = interceptor.started?.();
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, ...results: unknown[]) => {
        settled?.();
        return Reflect.apply(callback, undefined, [error ? mapError(error) : error, ...results]);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          settled?.();
          return value;
        },
        (error: unknown) => {
          settled?.();
          throw mapError(error);
        },
      );
    }
    settled?.();
    return result;
  };
  target.query = wrapped as typeof target.query;
}
