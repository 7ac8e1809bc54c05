import { pino, type DestinationStream, type Logger } from 'pino';
import { onLogLine } from './telemetry/logLines.ts';

export type { Logger };

/**
 * Errors are logged by type, message, code and stack only: driver errors carry extra fields (PostgreSQL's `detail`,
 * `where`, the query's parameters) that can hold user data such as e-mail addresses.
 */
function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  return { type: error.name, message: error.message, code: (error as { code?: unknown }).code, stack: error.stack };
}

/**
 * The service's JSON logger. Request logs never include headers, bodies or parameters in the first place; the
 * redaction below is a second line of defence for objects logged elsewhere.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'app' },
    serializers: { err: serializeError },
    redact: { paths: ['*.authorization', '*.headers.authorization', 'email', '*.email', 'token', '*.token'], censor: '[redacted]' },
    // After the redaction: the line to the OTLP log export, if on, and trace_id, span_id and trace_flags of the
    // request's span appended for stdout (telemetry/logLines.ts).
    hooks: { streamWrite: onLogLine },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
