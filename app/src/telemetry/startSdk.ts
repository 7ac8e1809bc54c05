import { createServer } from 'node:net';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { getNumberFromEnv } from '@opentelemetry/core';
import { HostMetrics } from '@opentelemetry/host-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { onProcessExit } from '../processExit.ts';
import { setSnapshotReader } from './metricsSnapshot.ts';
import { logTelemetry } from './telemetryLog.ts';
import { instrumentHttpServers } from './httpServerTelemetry.ts';
import { appInstrumentations } from './instrumentations.ts';
import { otlpTraceExporter } from './otlpTraceExporter.ts';
import { observeProcessDiskIo } from './processDiskIo.ts';
import { recordRedisCommandDurations } from './redisCommandMetrics.ts';
import { resourceDetectors, serviceResource } from './resource.ts';
import { SnapshotReader } from './SnapshotReader.ts';
import { observeSystemNetwork } from './systemNetwork.ts';
import type { TelemetryHandle, TelemetryOptions } from './startTelemetry.ts';
import { defaultSampler } from './tracesSampler.ts';
import { UnitSuffixPrometheusExporter } from './UnitSuffixPrometheusExporter.ts';
import { metricViews } from './views.ts';
import { WarnOnceSpanExporter } from './WarnOnceSpanExporter.ts';

/** The meter of appMeter() (business metrics); its duration histograms get the standard buckets. */
const APP_METER_NAME = 'app';
/** The host-metrics groups used: all but `system.network`. */
const HOST_METRIC_GROUPS = ['system.cpu', 'system.memory', 'process.cpu', 'process.memory'];
/** The meter of the instruments recorded in telemetry/ itself. */
const TELEMETRY_METER_NAME = 'app.telemetry';

/** Builds and starts the NodeSDK with this app's choices; see startTelemetry() for the contract. */
export async function startSdk(options: TelemetryOptions): Promise<TelemetryHandle> {
  const prometheusPort = await resolvePort(options.prometheusPort ?? Number(process.env.OTEL_EXPORTER_PROMETHEUS_PORT ?? 9464));
  const prometheusHost = options.prometheusHost ?? process.env.OTEL_EXPORTER_PROMETHEUS_HOST ?? '0.0.0.0';
  const prometheus = new UnitSuffixPrometheusExporter({ port: prometheusPort, host: prometheusHost, withoutScopeInfo: true });
  const snapshotReader = new SnapshotReader();
  const instrumentations = appInstrumentations();
  const sampler = options.sampler ?? defaultSampler();
  const traceExporter = options.spanExporter === undefined ? await warnOnceTraceExporter() : undefined;
  const sdk = new NodeSDK({
    resource: serviceResource(),
    resourceDetectors,
    spanProcessors: spanProcessors(options.spanExporter, traceExporter),
    ...(sampler === undefined ? {} : { sampler }),
    metricReaders: [prometheus, snapshotReader, ...(options.metricReaders ?? [])],
    views: metricViews(APP_METER_NAME),
    instrumentations,
    // Logs stay on stdout; pino lines only gain trace_id and span_id.
    logRecordProcessors: [],
  });
  sdk.start();
  setSnapshotReader(snapshotReader);

  const meter = metrics.getMeter(TELEMETRY_METER_NAME);
  const removeHttpHook = instrumentHttpServers(trace.getTracer(TELEMETRY_METER_NAME), meter);
  const stopRedisMetrics = recordRedisCommandDurations(meter);
  observeProcessDiskIo(meter);
  if (options.hostMetrics ?? true) {
    // Network counters come from systemNetwork.ts: host-metrics' own network collector spawns a process per scrape.
    new HostMetrics({ meterProvider: metrics.getMeterProvider(), name: 'host-metrics', metricGroups: HOST_METRIC_GROUPS }).start();
    observeSystemNetwork(meter);
  }

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    process.off('beforeExit', onBeforeExit);
    removeExitHook();
    removeHttpHook();
    stopRedisMetrics();
    setSnapshotReader(undefined);
    // A failed final flush is logged once by the exporter; it must not become an unhandled rejection at exit.
    await sdk.shutdown().catch((error: unknown) => {
      if (traceExporter?.failing !== true) logTelemetry('warn', 'telemetry shutdown incomplete', { err: String(error) });
    });
    for (const instrumentation of instrumentations) instrumentation.disable();
    // Unregister the global providers so a later startTelemetry() in the same process (tests) can register anew.
    trace.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
  };
  const shutdown = (): Promise<void> => (stopping ??= stop());
  // main.ts runs the exit hooks after its graceful stop, then exits (processExit.ts); a process that ends by letting
  // its event loop run empty flushes on beforeExit.
  const onBeforeExit = (): void => void shutdown();
  process.on('beforeExit', onBeforeExit);
  const removeExitHook = onProcessExit(shutdown);
  const shownHost = prometheusHost === '0.0.0.0' || prometheusHost === '::' ? '127.0.0.1' : prometheusHost;
  return { metricsUrl: `http://${shownHost}:${prometheusPort}/metrics`, shutdown };
}

/** OTLP to OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, or none when OTEL_TRACES_EXPORTER=none. */
async function warnOnceTraceExporter(): Promise<WarnOnceSpanExporter | undefined> {
  if (process.env.OTEL_TRACES_EXPORTER?.trim() === 'none') return undefined;
  return new WarnOnceSpanExporter(await otlpTraceExporter());
}

function spanProcessors(testExporter: SpanExporter | undefined, traceExporter: SpanExporter | undefined): SpanProcessor[] {
  if (testExporter !== undefined) return [new SimpleSpanProcessor({ exporter: testExporter })];
  if (traceExporter === undefined) return [];
  // Bounded: at most 2048 spans wait (more are dropped). Given processors, NodeSDK no longer reads OTEL_BSP_*.
  return [
    new BatchSpanProcessor({
      exporter: traceExporter,
      maxQueueSize: getNumberFromEnv('OTEL_BSP_MAX_QUEUE_SIZE') ?? 2048,
      maxExportBatchSize: getNumberFromEnv('OTEL_BSP_MAX_EXPORT_BATCH_SIZE') ?? 512,
      scheduledDelayMillis: getNumberFromEnv('OTEL_BSP_SCHEDULE_DELAY') ?? 5000,
      exportTimeoutMillis: getNumberFromEnv('OTEL_BSP_EXPORT_TIMEOUT') ?? 30_000,
    }),
  ];
}

/** The exporter treats port 0 as "default"; for 0 pick a free port first. */
async function resolvePort(port: number): Promise<number> {
  if (port !== 0) return port;
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
