import { createRequire } from 'node:module';
import { SpanKind, SpanStatusCode, trace, type Attributes, type Meter, type Tracer } from '@opentelemetry/api';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
  METRIC_DB_CLIENT_OPERATION_DURATION,
} from '@opentelemetry/semantic-conventions';
import type pg from 'pg';
import { sqlOperationName } from './sqlOperationName.ts';
import {
  ATTR_DB_CLIENT_CONNECTION_STATE,
  ATTR_DB_POSTGRESQL_PLAN,
  METRIC_DB_CLIENT_CONNECTION_COUNT,
  METRIC_DB_CLIENT_CONNECTION_MAX,
  METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS,
} from './semconv.ts';

type QueryArgs = unknown[];
type Connection = { database?: string; host?: string; port?: number };
type PoolLike = { totalCount: number; idleCount: number; waitingCount: number; options: { max?: number } };

/**
 * PostgreSQL telemetry from one thin hook on pg's `Client.prototype.query`, instead of instrumentation-pg, which on
 * every query built a span (a non-recording one on the 90% of unsampled requests), bound callbacks, and updated the
 * pool's connection counters six times (three `add` calls on acquire and on release). Here, per query:
 * - a CLIENT span with instrumentation-pg's name and attributes (`pg.query:<statement name or operation> <db>`,
 *   `db.query.text` with its placeholders, never the values) only when the calling span is recording;
 * - one record of `db.client.operation.duration` with an attribute object reused per connection and operation.
 * The pool gauges (`db.client.connection.count` by state, `.max`, `.pending_requests`) are read from the live pools at
 * collection time, so queries pay nothing for them. Returns a function that removes the hook.
 */
export function instrumentPostgres(tracer: Tracer, meter: Meter): () => void {
  const require = createRequire(import.meta.url);
  const { Client } = require('pg') as typeof pg;
  const Pool = require('pg-pool') as { prototype: { connect: (...args: unknown[]) => unknown; end: (...args: unknown[]) => unknown } };
  const duration = meter.createHistogram(METRIC_DB_CLIENT_OPERATION_DURATION, { description: 'Duration of database client operations.', unit: 's' });
  const pools = new Set<PoolLike>();
  const tracked = Symbol('pool tracked');
  observePools(meter, pools);

  const attributesFor = cachedAttributes();
  const prototype = Client.prototype as unknown as { query: (...args: QueryArgs) => unknown };
  const originalQuery = prototype.query;
  prototype.query = function query(this: pg.Client & { connectionParameters: Connection }, ...args: QueryArgs) {
    const config = args[0] as { text?: unknown; name?: unknown; submit?: unknown } | string | null | undefined;
    const text = typeof config === 'string' ? config : typeof config?.text === 'string' ? config.text : undefined;
    if (text === undefined || typeof (config as { submit?: unknown }).submit === 'function') return Reflect.apply(originalQuery, this, args);
    const start = performance.now();
    const attributes = attributesFor(this.connectionParameters, text, (config as { name?: unknown }).name);
    const parent = trace.getActiveSpan();
    const span = parent?.isRecording() === true ? startQuerySpan(tracer, this.connectionParameters, config, text, attributes) : undefined;
    const done = (error: unknown): void => {
      duration.record((performance.now() - start) / 1000, attributes);
      if (span === undefined) return;
      if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      span.end();
    };
    const callbackAt = typeof args[2] === 'function' ? 2 : typeof args[1] === 'function' ? 1 : -1;
    if (callbackAt >= 0) {
      const callback = args[callbackAt] as (error: unknown, result: unknown) => unknown;
      args[callbackAt] = function (this: unknown, error: unknown, result: unknown) {
        done(error ?? undefined);
        return Reflect.apply(callback, this, [error, result]);
      };
      return Reflect.apply(originalQuery, this, args);
    }
    const result = Reflect.apply(originalQuery, this, args) as Promise<unknown>;
    result.then(() => done(undefined), done);
    return result;
  };

  const originalConnect = Pool.prototype.connect;
  const originalEnd = Pool.prototype.end;
  Pool.prototype.connect = function connect(this: PoolLike & { [tracked]?: true }, ...args: unknown[]) {
    if (this[tracked] === undefined) {
      this[tracked] = true;
      pools.add(this);
    }
    return Reflect.apply(originalConnect, this, args);
  };
  Pool.prototype.end = function end(this: PoolLike, ...args: unknown[]) {
    pools.delete(this);
    return Reflect.apply(originalEnd, this, args);
  };
  return () => {
    prototype.query = originalQuery;
    Pool.prototype.connect = originalConnect;
    Pool.prototype.end = originalEnd;
  };
}

/** instrumentation-pg's span: its name, the connection's attributes, the text, and a prepared statement's name. */
function startQuerySpan(tracer: Tracer, connection: Connection, config: unknown, text: string, attributes: Attributes) {
  const statement = (config as { name?: unknown }).name;
  const name = typeof statement === 'string' ? statement : String(attributes[ATTR_DB_OPERATION_NAME]);
  return tracer.startSpan(`pg.query:${name}${connection.database ? ` ${connection.database}` : ''}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
      [ATTR_DB_NAMESPACE]: connection.database,
      [ATTR_SERVER_ADDRESS]: connection.host,
      [ATTR_SERVER_PORT]: connection.port,
      [ATTR_DB_QUERY_TEXT]: text,
      ...(typeof statement === 'string' && { [ATTR_DB_POSTGRESQL_PLAN]: statement }),
    },
  });
}

/** Statement texts remembered per connection: the app's queries are a fixed set; one-off texts beyond it are not kept. */
const MAX_CACHED_TEXTS = 1000;

/**
 * One frozen attribute object per connection target and statement: the SDK sees the same object every time, and the
 * operation name is parsed once per statement, not per query. A prepared statement is found by its (short) name,
 * other statements by their text.
 */
function cachedAttributes(): (connection: Connection, text: string, statementName: unknown) => Attributes {
  const byConnection = new WeakMap<Connection, Map<string, Attributes>>();
  return (connection, text, statementName) => {
    let byText = byConnection.get(connection);
    if (byText === undefined) byConnection.set(connection, (byText = new Map()));
    const key = typeof statementName === 'string' ? statementName : text;
    let attributes = byText.get(key);
    if (attributes === undefined) {
      attributes = Object.freeze({
        [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
        [ATTR_DB_OPERATION_NAME]: sqlOperationName(text),
        [ATTR_DB_NAMESPACE]: connection.database ?? '',
        [ATTR_SERVER_ADDRESS]: connection.host ?? '',
      });
      if (byText.size < MAX_CACHED_TEXTS) byText.set(key, attributes);
    }
    return attributes;
  };
}

/** The pool gauges, summed over the live pools of the process, read when metrics are collected. */
function observePools(meter: Meter, pools: ReadonlySet<PoolLike>): void {
  const count = meter.createObservableUpDownCounter(METRIC_DB_CLIENT_CONNECTION_COUNT, {
    description: 'The number of connections that are currently in state described by the state attribute.',
    unit: '{connection}',
  });
  const max = meter.createObservableUpDownCounter(METRIC_DB_CLIENT_CONNECTION_MAX, { description: 'The maximum number of open connections allowed.', unit: '{connection}' });
  const pending = meter.createObservableUpDownCounter(METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS, {
    description: 'The number of current pending requests for an open connection.',
    unit: '{request}',
  });
  const used = { [ATTR_DB_CLIENT_CONNECTION_STATE]: 'used' };
  const idle = { [ATTR_DB_CLIENT_CONNECTION_STATE]: 'idle' };
  meter.addBatchObservableCallback(
    (result) => {
      let total = { used: 0, idle: 0, max: 0, pending: 0 };
      for (const pool of pools) {
        total = { used: total.used + pool.totalCount - pool.idleCount, idle: total.idle + pool.idleCount, max: total.max + (pool.options.max ?? 10), pending: total.pending + pool.waitingCount };
      }
      result.observe(count, total.used, used);
      result.observe(count, total.idle, idle);
      result.observe(max, total.max);
      result.observe(pending, total.pending);
    },
    [count, max, pending],
  );
}
