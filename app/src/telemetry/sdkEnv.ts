import { diag, DiagConsoleLogger, type TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, diagLogLevelFromString, getNumberFromEnv, getStringFromEnv, getStringListFromEnv, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler, type SpanLimits } from '@opentelemetry/sdk-trace';

/**
 * The parts of the OpenTelemetry SDK environment-variable specification this app's SDK set-up reads itself,
 * instead of loading `@opentelemetry/sdk-node` (whose module imports every exporter it can configure: gRPC, Zipkin,
 * B3, OTLP metrics and logs, a YAML parser — measured at about +15 MB RSS and +0.3 s of start-up here). Same names,
 * values and defaults as sdk-node 0.301's `create-from-env` (which this follows), for what a service of this kind
 * uses: OTEL_TRACES_SAMPLER(_ARG), OTEL_PROPAGATORS, span limits, OTEL_BSP_* and OTEL_BLRP_*, OTEL_TRACES_EXPORTER,
 * OTEL_LOGS_EXPORTER, OTEL_LOG_LEVEL. Values this set-up cannot honour (b3, jaeger, zipkin, …) are named in one diagnostic warning.
 */

/** The options of a batch span or log record processor, with their bounded queue. */
interface BatchProcessorOptions {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
}

/**
 * `OTEL_BSP_*` (spans) or `OTEL_BLRP_*` (log records), with the specification's defaults: at most 2048 wait (more
 * are dropped), batches of 512, every 5 s for spans and every second for log records, 30 s to export.
 */
export function batchProcessorOptionsFromEnv(prefix: 'OTEL_BSP' | 'OTEL_BLRP'): BatchProcessorOptions {
  return {
    maxQueueSize: getNumberFromEnv(`${prefix}_MAX_QUEUE_SIZE`) ?? 2048,
    maxExportBatchSize: getNumberFromEnv(`${prefix}_MAX_EXPORT_BATCH_SIZE`) ?? 512,
    scheduledDelayMillis: getNumberFromEnv(`${prefix}_SCHEDULE_DELAY`) ?? (prefix === 'OTEL_BSP' ? 5000 : 1000),
    exportTimeoutMillis: getNumberFromEnv(`${prefix}_EXPORT_TIMEOUT`) ?? 30_000,
  };
}

/** `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`; undefined when unset (the caller's default applies). */
export function samplerFromEnv(): Sampler | undefined {
  const name = getStringFromEnv('OTEL_TRACES_SAMPLER');
  const ratio = (): number => {
    const value = getNumberFromEnv('OTEL_TRACES_SAMPLER_ARG');
    if (value !== undefined && value >= 0 && value <= 1) return value;
    diag.error(`OTEL_TRACES_SAMPLER_ARG must be a number in [0, 1]; using 1`);
    return 1;
  };
  switch (name) {
    case undefined:
      return undefined;
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio());
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio()) });
    default:
      diag.warn(`unsupported OTEL_TRACES_SAMPLER "${name}"; using the default`);
      return undefined;
  }
}

const PROPAGATORS: Record<string, () => TextMapPropagator> = {
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
};

/** `OTEL_PROPAGATORS` (default `tracecontext,baggage`); undefined for `none`. */
export function propagatorFromEnv(): TextMapPropagator | undefined {
  const names = [...new Set(getStringListFromEnv('OTEL_PROPAGATORS') ?? ['tracecontext', 'baggage'])];
  if (names.includes('none')) return undefined;
  const unsupported = names.filter((name) => PROPAGATORS[name] === undefined);
  if (unsupported.length > 0) diag.warn(`unsupported OTEL_PROPAGATORS ${unsupported.join(', ')}; supported: ${Object.keys(PROPAGATORS).join(', ')}`);
  const propagators = names.flatMap((name) => PROPAGATORS[name]?.() ?? []);
  if (propagators.length === 0) return undefined;
  return propagators.length === 1 ? propagators[0] : new CompositePropagator({ propagators });
}

/** The span limits of `OTEL_SPAN_*_LIMIT` and `OTEL_ATTRIBUTE_*_LIMIT`; the SDK's defaults where unset. */
export function spanLimitsFromEnv(): SpanLimits {
  const limits = {
    attributeCountLimit: getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? getNumberFromEnv('OTEL_ATTRIBUTE_COUNT_LIMIT'),
    attributeValueLengthLimit: getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? getNumberFromEnv('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    eventCountLimit: getNumberFromEnv('OTEL_SPAN_EVENT_COUNT_LIMIT'),
    linkCountLimit: getNumberFromEnv('OTEL_SPAN_LINK_COUNT_LIMIT'),
    attributePerEventCountLimit: getNumberFromEnv('OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT') ?? getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT'),
    attributePerLinkCountLimit: getNumberFromEnv('OTEL_LINK_ATTRIBUTE_COUNT_LIMIT') ?? getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT'),
  };
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)) as SpanLimits;
}

/**
 * Whether a signal is exported by OTLP: `OTEL_TRACES_EXPORTER` / `OTEL_LOGS_EXPORTER` unset or naming `otlp`; `none`
 * turns it off. Only OTLP is supported (console and zipkin are for other set-ups).
 */
export function otlpExportEnabled(variable: 'OTEL_TRACES_EXPORTER' | 'OTEL_LOGS_EXPORTER'): boolean {
  const names = getStringListFromEnv(variable) ?? ['otlp'];
  if (names.includes('none')) return false;
  const unsupported = names.filter((name) => name !== 'otlp');
  if (unsupported.length > 0) diag.warn(`unsupported ${variable} ${unsupported.join(', ')}; only otlp and none are`);
  return true;
}

/**
 * `OTEL_METRICS_EXEMPLAR_FILTER`: `trace_based` (the specification's default: exemplars from sampled spans only) or
 * `always_off`. `always_on` is not offered: an exemplar of an unsampled request points at a trace nobody has.
 */
export function exemplarsEnabledFromEnv(): boolean {
  const filter = getStringFromEnv('OTEL_METRICS_EXEMPLAR_FILTER') ?? 'trace_based';
  if (filter === 'always_off') return false;
  if (filter !== 'trace_based') diag.warn(`unsupported OTEL_METRICS_EXEMPLAR_FILTER "${filter}"; using trace_based`);
  return true;
}

/** `OTEL_LOG_LEVEL`: the SDK's own diagnostics on the console (off unless set). */
export function diagnosticsFromEnv(): void {
  const level = diagLogLevelFromString(getStringFromEnv('OTEL_LOG_LEVEL'));
  if (level !== undefined) diag.setLogger(new DiagConsoleLogger(), { logLevel: level });
}
