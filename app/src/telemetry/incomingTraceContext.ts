import type { IncomingTraceContext } from './httpServerTelemetry.ts';
import { logTelemetry } from './telemetryLog.ts';

const CHOICES: readonly IncomingTraceContext[] = ['trust', 'link'];

/**
 * `INCOMING_TRACE_CONTEXT`: `trust` (default) joins a caller's `traceparent`, so a user's own front end and the load
 * generator see one trace across services; `link`, for an app on the open internet, starts a new root trace (with
 * our own sampling decision) that links to the caller's context, so nobody outside can choose our trace ids or force
 * sampling.
 */
export function incomingTraceContextFromEnv(env: NodeJS.ProcessEnv = process.env): IncomingTraceContext {
  const value = env.INCOMING_TRACE_CONTEXT?.trim().toLowerCase() || 'trust';
  if ((CHOICES as string[]).includes(value)) return value as IncomingTraceContext;
  logTelemetry('warn', `INCOMING_TRACE_CONTEXT must be one of ${CHOICES.join(', ')}; using trust`, { value });
  return 'trust';
}
