import { context, isSpanContextValid, trace, type SpanContext } from '@opentelemetry/api';
import { withTraceContext } from './logCorrelation.ts';

/** Receives every line as pino serialised it, with the valid span context (if any) it was written in. */
export type LogLineSink = (line: string, spanContext: SpanContext | undefined) => void;

let sink: LogLineSink | undefined;

/** Registered by the telemetry set-up when log records are exported (pinoLogRecords.ts); undefined otherwise. */
export function setLogLineSink(next: LogLineSink | undefined): void {
  sink = next;
}

/**
 * The logger's `hooks.streamWrite`: each serialised (so redacted) line goes to the log sink, if one is set, and to
 * stdout with the trace context of the request it was written in (logCorrelation.ts). Without a valid active span
 * (outside a request, or telemetry off) the line is written unchanged.
 */
export function onLogLine(line: string): string {
  const active = trace.getSpanContext(context.active());
  const spanContext = active !== undefined && isSpanContextValid(active) ? active : undefined;
  sink?.(line, spanContext);
  return spanContext === undefined ? line : withTraceContext(line, spanContext);
}
