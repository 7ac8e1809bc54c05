import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { ATTR_URL_FULL, ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';

/**
 * The individual instrumentation packages this app needs (not auto-instrumentations-node, which loads a nested
 * older SDK: measured in bench/). HTTP server spans and metrics come from httpServerTelemetry.ts instead of
 * instrumentation-http and -express, and Redis durations from redisCommandMetrics.ts.
 */
export function appInstrumentations() {
  return [
    // pg: a span per query (SQL text with placeholders, never parameter values) and db.client.operation.duration.
    new PgInstrumentation({ ignoreConnectSpans: true }),
    // Redis spans carry only the command name: keys embed user ids.
    new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
    new UndiciInstrumentation({
      // Outbound calls outside a request (background refreshes) would start traces of their own.
      requireParentforSpans: true,
      // Query strings stay out of span attributes.
      startSpanHook: (request) => ({ [ATTR_URL_FULL]: `${request.origin}${request.path.split('?')[0]}`, [ATTR_URL_QUERY]: undefined }),
    }),
    // trace_id and span_id in every log line written inside a span; the log lines themselves stay on stdout.
    new PinoInstrumentation({ disableLogSending: true }),
    new RuntimeNodeInstrumentation(),
  ];
}
