import { tracingChannel } from 'node:diagnostics_channel';
import type { Meter } from '@opentelemetry/api';
import { ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, METRIC_DB_CLIENT_OPERATION_DURATION } from '@opentelemetry/semantic-conventions';
import { DB_SYSTEM_NAME_VALUE_REDIS } from './semconv.ts';

/** What ioredis publishes on its `ioredis:command` tracing channel (ioredis ≥ 5.9), plus our start time. */
interface CommandMessage {
  command: string;
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
  const attributesByCommand = new Map<string, Record<string, string>>();
  const attributesOf = (command: string): Record<string, string> => {
    let attributes = attributesByCommand.get(command);
    if (attributes === undefined) {
      attributes = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_REDIS, [ATTR_DB_OPERATION_NAME]: command.toUpperCase() };
      attributesByCommand.set(command, attributes);
    }
    return attributes;
  };
  const handlers = {
    start(message: unknown) {
      (message as CommandMessage)[startTime] = performance.now();
    },
    asyncEnd(message: unknown) {
      const { command, [startTime]: start } = message as CommandMessage;
      if (start !== undefined) duration.record((performance.now() - start) / 1000, attributesOf(command));
    },
    end() {},
    asyncStart() {},
    error() {},
  };
  const channel = tracingChannel('ioredis:command');
  channel.subscribe(handlers);
  return () => channel.unsubscribe(handlers);
}
