import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The service's JSON logger. Authorization headers and e-mail addresses are redacted wherever they appear in a
 * logged object, as a second line of defence: request logs never include them in the first place.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'app' },
    redact: { paths: ['*.authorization', '*.headers.authorization', 'email', '*.email', 'token', '*.token'], censor: '[redacted]' },
  });
}
