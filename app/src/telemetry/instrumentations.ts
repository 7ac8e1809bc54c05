import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { ATTR_URL_FULL, ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';

/**
 * The individual instrumentation packages this app needs (not auto-instrumentations-node, which loads a nested
 * older SDK: measured in bench/). HTTP server spans and metrics come from httpServerTelemetry.ts instead of
 * instrumentation-http and -express, PostgreSQL's from pgTelemetry.ts instead of instrumentation-pg, and Redis
 * durations from redisCommandMetrics.ts.
 */
export function appInstrumentations({ logSending }: { logSending: boolean }) {
  return [
    // Redis spans carry only the command name: keys embed user ids.
    new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
    new UndiciInstrumentation({
      // Outbound calls outside a request (background refreshes) would start traces of their own.
      requireParentforSpans: true,
      // Query strings stay out of span attributes.
      startSpanHook: (request) => ({ [ATTR_URL_FULL]: `${request.origin}${request.path.split('?')[0]}`, [ATTR_URL_QUERY]: undefined }),
    }),
    // Every line (as serialised, so redacted like stdout) also sent to the SDK's LoggerProvider, with the trace context
    // it was written in. With log export off (OTEL_LOGS_EXPORTER=none) lines go straight to stdout: none is parsed for a
    // provider that would drop it. trace_id and span_id in the lines come from logCorrelation.ts instead of this
    // instrumentation's mixin, whose keys pino's redaction would walk.
    new PinoInstrumentation({ disableLogSending: !logSending, disableLogCorrelation: true }),
    new RuntimeNodeInstrumentation(),
  ];
}
