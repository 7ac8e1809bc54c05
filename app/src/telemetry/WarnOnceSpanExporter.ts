import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { logTelemetry } from './telemetryLog.ts';

/**
 * Wraps the trace exporter so that a collector outage is logged once when it starts and once when it ends,
 * not once per failed batch. The batch processor in front keeps a bounded queue and drops spans while it is full,
 * so requests never wait on the collector.
 */
export class WarnOnceSpanExporter implements SpanExporter {
  readonly #exporter: SpanExporter;
  readonly #log: typeof logTelemetry;
  #failing = false;

  /** Whether the last export failed (and the warning has been logged). */
  get failing(): boolean {
    return this.#failing;
  }

  constructor(exporter: SpanExporter, log = logTelemetry) {
    this.#exporter = exporter;
    this.#log = log;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.#exporter.export(spans, (result) => {
      if (result.code === ExportResultCode.FAILED && !this.#failing) {
        this.#failing = true;
        this.#log('warn', 'trace export failing; spans are dropped until the collector answers again', { err: result.error?.message });
      } else if (result.code === ExportResultCode.SUCCESS && this.#failing) {
        this.#failing = false;
        this.#log('info', 'trace export recovered');
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
