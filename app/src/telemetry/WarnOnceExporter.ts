import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { logTelemetry } from './telemetryLog.ts';

/** What the SDK's span and log record exporters have in common. */
interface Exporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/**
 * Wraps a span or log record exporter so that a collector outage is logged once when it starts and once when it
 * ends, not once per failed batch. The batch processor in front keeps a bounded queue and drops what does not fit,
 * so requests never wait on the collector.
 */
export class WarnOnceExporter<T> implements Exporter<T> {
  readonly #exporter: Exporter<T>;
  /** `trace` or `log`: the log lines say which export failed. */
  readonly #signal: string;
  readonly #log: typeof logTelemetry;
  #failing = false;

  /** Whether the last export failed (and the warning has been logged). */
  get failing(): boolean {
    return this.#failing;
  }

  constructor(exporter: Exporter<T>, signal: 'trace' | 'log', log = logTelemetry) {
    this.#exporter = exporter;
    this.#signal = signal;
    this.#log = log;
  }

  export(items: T[], resultCallback: (result: ExportResult) => void): void {
    this.#exporter.export(items, (result) => {
      if (result.code === ExportResultCode.FAILED && !this.#failing) {
        this.#failing = true;
        this.#log('warn', `${this.#signal} export failing; ${this.#signal === 'trace' ? 'spans' : 'log records'} are dropped until the collector answers again`, {
          err: result.error?.message,
        });
      } else if (result.code === ExportResultCode.SUCCESS && this.#failing) {
        this.#failing = false;
        this.#log('info', `${this.#signal} export recovered`);
      }
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.#exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#exporter.forceFlush?.() ?? Promise.resolve();
  }
}
