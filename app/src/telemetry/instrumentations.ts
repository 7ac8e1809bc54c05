import { createRequire } from 'node:module';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { ATTR_URL_FULL, ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';

/**
 * The individual instrumentation packages this app needs (not auto-instrumentations-node, which loads a nested
 * older SDK: measured in bench/). HTTP server spans and metrics come from httpServerTelemetry.ts instead of
 * instrumentation-http and -express, PostgreSQL's from pgTelemetry.ts instead of instrumentation-pg, Redis
 * durations from redisCommandMetrics.ts, and log records and log correlation from the logger's own hook (logLines.ts)
 * instead of instrumentation-pino.
 */
export function appInstrumentations() {
  return [
    // Redis spans carry only the command name: keys embed user ids.
    new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
    new UndiciInstrumentation({
      // Outbound calls outside a request (background refreshes) would start traces of their own.
      requireParentforSpans: true,
      // Query strings stay out of span attributes.
      startSpanHook: (request) => ({ [ATTR_URL_FULL]: `${request.origin}${request.path.split('?')[0]}`, [ATTR_URL_QUERY]: undefined }),
    }),
    new RuntimeNodeInstrumentation(),
  ];
}

/**
 * Loads the packages the instrumentations patch on load (ioredis), right after they are registered: require-in-the-
 * middle patches them then, and the app's later `import` gets the same CommonJS module, already patched. No ESM
 * loader hook (import-in-the-middle) is needed for that, and none is registered: with any module load hook in place,
 * Node keeps the source of every CommonJS module loaded afterwards on the module (`kModuleSource`), 1.2 MB of the
 * app's live heap here, five copies of mime-db's 200 KB JSON among it (README, "What it costs").
 */
export function loadPatchedPackages(): void {
  createRequire(import.meta.url)('ioredis');
}
