import { createServer } from 'node:net';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { HostMetrics } from '@opentelemetry/host-metrics';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { defaultResource, detectResources } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { onProcessExit } from '../processExit.ts';
import { setSnapshotReader } from './metricsSnapshot.ts';
import { logTelemetry } from './telemetryLog.ts';
import { instrumentHttpServers } from './httpServerTelemetry.ts';
import { incomingTraceContextFromEnv } from './incomingTraceContext.ts';
import { appInstrumentations, loadPatchedPackages } from './instrumentations.ts';
import { otlpLogExporter, otlpTraceExporter } from './otlpExporters.ts';
import { instrumentPostgres } from './pgTelemetry.ts';
import { setLogLineSink } from './logLines.ts';
import { pinoLogRecordSink } from './pinoLogRecords.ts';
import { observeProcessDiskIo } from './processDiskIo.ts';
import { recordRedisCommandDurations } from './redisCommandMetrics.ts';
import { CONSTANT_LABEL_ATTRIBUTES, resourceDetectors, serviceResource } from './resource.ts';
import { batchProcessorOptionsFromEnv, diagnosticsFromEnv, exemplarsEnabledFromEnv, otlpExportEnabled, propagatorFromEnv, spanLimitsFromEnv } from './sdkEnv.ts';
import { SnapshotReader } from './SnapshotReader.ts';
import { observeSystemNetwork } from './systemNetwork.ts';
import type { TelemetryHandle, TelemetryOptions } from './startTelemetry.ts';
import { configuredSampler } from './tracesSampler.ts';
import { latencyExemplarStore } from './exemplarInstruments.ts';
import { OpenMetricsPrometheusExporter } from './OpenMetricsPrometheusExporter.ts';
import { PreAggregatedInstruments } from './PreAggregatedInstruments.ts';
import { DURATION_BUCKETS_SECONDS, metricViews } from './views.ts';
import { WarnOnceExporter } from './WarnOnceExporter.ts';

/** The meter of appMeter() (business metrics). */
const APP_METER_NAME = 'app';
/** The host-metrics groups used: all but `system.network`. */
const HOST_METRIC_GROUPS = ['system.cpu', 'system.memory', 'process.cpu', 'process.memory'];
/** The meter and tracer of the instruments recorded in telemetry/ itself. */
const TELEMETRY_SCOPE = 'app.telemetry';

/**
 * Builds and registers the SDK's providers with this app's choices (see startTelemetry() for the contract): the
 * TracerProvider, MeterProvider and context manager that NodeSDK would build, from the same `OTEL_*` variables
 * (sdkEnv.ts), without loading NodeSDK's module and every exporter it imports.
 */
export async function startSdk(options: TelemetryOptions): Promise<TelemetryHandle> {
  diagnosticsFromEnv();
  // As NodeSDK: the SDK's own attributes (telemetry.sdk.*), ours, then the detectors (OTEL_RESOURCE_ATTRIBUTES last).
  const resource = defaultResource().merge(serviceResource()).merge(detectResources({ detectors: resourceDetectors }));
  const prometheusPort = await resolvePort(options.prometheusPort ?? Number(process.env.OTEL_EXPORTER_PROMETHEUS_PORT ?? 9464));
  const prometheusHost = options.prometheusHost ?? process.env.OTEL_EXPORTER_PROMETHEUS_HOST ?? '0.0.0.0';
  const exemplars = exemplarsEnabledFromEnv() ? latencyExemplarStore() : undefined;
  // The counters and histograms of the app's and the hooks' meters, aggregated outside the SDK, collected by both readers.
  const instruments = new PreAggregatedInstruments({ resource, durationBoundaries: DURATION_BUCKETS_SECONDS, exemplars });
  const prometheus = new OpenMetricsPrometheusExporter({
    port: prometheusPort,
    host: prometheusHost,
    withoutScopeInfo: true,
    withResourceConstantLabels: CONSTANT_LABEL_ATTRIBUTES,
    metricProducers: [instruments],
    ...(exemplars && { exemplars }),
  });
  const snapshotReader = new SnapshotReader({ metricProducers: [instruments] });
  const sdkMeterProvider = new MeterProvider({ resource, views: metricViews(), readers: [prometheus, snapshotReader] });
  // Registered globally, so the app's metrics (recorded through the API) are pre-aggregated too.
  const meterProvider = instruments.meterProvider(sdkMeterProvider, [APP_METER_NAME, TELEMETRY_SCOPE]);
  const traceExporter = options.spanExporter === undefined ? await warnOnceExporter('trace') : undefined;
  const tracerProvider = new TracerProvider({
    resource,
    sampler: options.sampler ?? configuredSampler(),
    spanLimits: spanLimitsFromEnv(),
    spanProcessors: spanProcessors(options.spanExporter, traceExporter),
  });
  const logExporter = options.logExporter === undefined ? await warnOnceExporter('log') : undefined;
  const logRecordProcessors = logProcessors(options.logExporter, logExporter);
  const loggerProvider = new LoggerProvider({ resource, processors: logRecordProcessors });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const propagator = propagatorFromEnv();
  if (propagator !== undefined) propagation.setGlobalPropagator(propagator);
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  logs.setGlobalLoggerProvider(loggerProvider);
  setSnapshotReader(snapshotReader);
  const removeInstrumentations = registerInstrumentations({ instrumentations: appInstrumentations(), tracerProvider, meterProvider });
  loadPatchedPackages();
  // The app's log lines, to the same processors as the logs API's records; none are parsed with log export off.
  if (logRecordProcessors.length > 0) setLogLineSink(pinoLogRecordSink(logRecordProcessors, resource));

  const meter = metrics.getMeter(TELEMETRY_SCOPE);
  const tracer = trace.getTracer(TELEMETRY_SCOPE);
  const removeHooks = [
    instrumentHttpServers(tracer, meter, incomingTraceContextFromEnv()),
    instrumentPostgres(tracer, meter),
    recordRedisCommandDurations(meter),
  ];
  observeProcessDiskIo(meter);
  if (options.hostMetrics ?? true) {
    // Network counters come from systemNetwork.ts: host-metrics' own network collector spawns a process per scrape.
    new HostMetrics({ meterProvider: sdkMeterProvider, name: 'host-metrics', metricGroups: HOST_METRIC_GROUPS }).start();
    observeSystemNetwork(meter);
  }

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    process.off('beforeExit', onBeforeExit);
    removeExitHook();
    for (const remove of removeHooks) remove();
    removeInstrumentations();
    setSnapshotReader(undefined);
    setLogLineSink(undefined);
    // A failed final flush is logged once by the exporter; it must not become an unhandled rejection at exit.
    const results = await Promise.allSettled([tracerProvider.shutdown(), loggerProvider.shutdown(), sdkMeterProvider.shutdown()]);
    const failed = results.find((result) => result.status === 'rejected');
    const knownOutage = traceExporter?.failing === true || logExporter?.failing === true;
    if (failed !== undefined && !knownOutage) logTelemetry('warn', 'telemetry shutdown incomplete', { err: String(failed.reason) });
    // Unregister the global providers so a later startTelemetry() in the same process (tests) can register anew.
    trace.disable();
    metrics.disable();
    logs.disable();
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

/** OTLP to OTEL_EXPORTER_OTLP_(TRACES|LOGS_)ENDPOINT, or none when OTEL_TRACES_EXPORTER / OTEL_LOGS_EXPORTER is none. */
async function warnOnceExporter(signal: 'trace'): Promise<WarnOnceExporter<Parameters<SpanExporter['export']>[0][number]> | undefined>;
async function warnOnceExporter(signal: 'log'): Promise<WarnOnceExporter<Parameters<LogRecordExporter['export']>[0][number]> | undefined>;
async function warnOnceExporter(signal: 'trace' | 'log'): Promise<WarnOnceExporter<never> | undefined> {
  if (signal === 'trace') return otlpExportEnabled('OTEL_TRACES_EXPORTER') ? new WarnOnceExporter(await otlpTraceExporter(), 'trace') : undefined;
  return otlpExportEnabled('OTEL_LOGS_EXPORTER') ? new WarnOnceExporter(await otlpLogExporter(), 'log') : undefined;
}

/**
 * Log records (every pino line, with the trace context it was written in) batched to OTLP with a bounded queue
 * (OTEL_BLRP_*). Tests get each record exported as it is written.
 */
function logProcessors(testExporter: LogRecordExporter | undefined, logExporter: LogRecordExporter | undefined): LogRecordProcessor[] {
  if (testExporter !== undefined) return [new SimpleLogRecordProcessor({ exporter: testExporter })];
  if (logExporter === undefined) return [];
  return [new BatchLogRecordProcessor({ exporter: logExporter, ...batchProcessorOptionsFromEnv('OTEL_BLRP') })];
}

/** Spans batched to OTLP with a bounded queue (OTEL_BSP_*). Tests get each span exported as it ends. */
function spanProcessors(testExporter: SpanExporter | undefined, traceExporter: SpanExporter | undefined): SpanProcessor[] {
  if (testExporter !== undefined) return [new SimpleSpanProcessor({ exporter: testExporter })];
  if (traceExporter === undefined) return [];
  return [new BatchSpanProcessor({ exporter: traceExporter, ...batchProcessorOptionsFromEnv('OTEL_BSP') })];
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
