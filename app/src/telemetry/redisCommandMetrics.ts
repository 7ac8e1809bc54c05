import { tracingChannel } from 'node:diagnostics_channel';
import type { Meter } from '@opentelemetry/api';
import { ATTR_DB_NAMESPACE, ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, ATTR_SERVER_ADDRESS, METRIC_DB_CLIENT_OPERATION_DURATION } from '@opentelemetry/semantic-conventions';
import { memoized } from '../memoized.ts';
import { DB_SYSTEM_NAME_VALUE_REDIS } from './semconv.ts';

/** What ioredis publishes on its `ioredis:command` tracing channel (ioredis ≥ 5.9), plus our start time. */
interface CommandMessage {
  command: string;
  database?: number;
  serverAddress?: string;
  [startTime]?: number;
}
const startTime = Symbol('startTime');

/**
 * `db.client.operation.duration` for every Redis command, sampled or not. instrumentation-ioredis makes spans only,
 * and a span processor would see sampled commands only (10% by default), so the histogram comes from ioredis's own
 * diagnostics channel: no patching, and commands of every client in the process count. Returns an unsubscribe.
 */
export function recordRedisCommandDurations(meter: Meter): () => void {
  const duration = meter.createHistogram(METRIC_DB_CLIENT_OPERATION_DURATION, {
    description: 'Duration of database client operations.',
    unit: 's',
  });
  // One attribute object per (server, database, command): the same object for every command of a kind.
  const attributesByKind = memoized((serverAddress: string, database: number, command: string) => ({
    [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_REDIS,
    [ATTR_DB_OPERATION_NAME]: command.toUpperCase(),
    [ATTR_DB_NAMESPACE]: String(database),
    [ATTR_SERVER_ADDRESS]: serverAddress,
  }));
  const attributesOf = ({ command, database = 0, serverAddress = '' }: CommandMessage) => attributesByKind(serverAddress, database, command);
  const handlers = {
    start(message: unknown) {
      (message as CommandMessage)[startTime] = performance.now();
    },
    asyncEnd(message: unknown) {
      const start = (message as CommandMessage)[startTime];
      if (start !== undefined) duration.record((performance.now() - start) / 1000, attributesOf(message as CommandMessage));
    },
    end() {},
    asyncStart() {},
    error() {},
  };
  const channel = tracingChannel('ioredis:command');
  channel.subscribe(handlers);
  return () => channel.unsubscribe(handlers);
}
