import { AlwaysOnSampler, InMemorySpanExporter, type Sampler } from '@opentelemetry/sdk-trace';
import { startTelemetry, type TelemetryHandle } from '../../app/src/telemetry/startTelemetry.ts';

export interface TestTelemetry {
  handle: TelemetryHandle;
  /** Every span that ended, exported as it ends. */
  spans: InMemorySpanExporter;
  /** The Prometheus endpoint, on a free port of 127.0.0.1. */
  metricsUrl: string;
}

/**
 * Telemetry in the test process, every trace sampled unless a sampler is given. Call it before importing the app
 * (`await import('../support/startTestApp.ts')`), so pg and ioredis are patched when they load.
 */
export async function startTestTelemetry(sampler: Sampler = new AlwaysOnSampler()): Promise<TestTelemetry> {
  const spans = new InMemorySpanExporter();
  const handle = await startTelemetry({ prometheusPort: 0, prometheusHost: '127.0.0.1', spanExporter: spans, sampler });
  if (handle.metricsUrl === undefined) throw new Error('telemetry is off (OTEL_SDK_DISABLED?)');
  return { handle, spans, metricsUrl: handle.metricsUrl };
}
