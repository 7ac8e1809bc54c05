const PINO_LEVELS = { info: 30, warn: 40 } as const;

/**
 * Telemetry's own few log lines (exporter down, recovered), as JSON on stderr in the shape of the app's pino lines.
 * Not pino itself: telemetry starts before the app, and loading pino here would load it before its instrumentation.
 */
export function logTelemetry(level: keyof typeof PINO_LEVELS, msg: string, fields: Record<string, unknown> = {}): void {
  const line = { level: PINO_LEVELS[level], time: Date.now(), service: 'app', component: 'telemetry', ...fields, msg };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}
