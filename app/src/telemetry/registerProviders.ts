import { context, diag, DiagConsoleLogger, metrics, propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, diagLogLevelFromString, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { detectResources, type Resource, type ResourceDetector } from '@opentelemetry/resources';
import { MeterProvider, type MetricReader, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { TracerProvider, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { logTelemetry } from './telemetryLog.ts';

export interface ProviderOptions {
  resource: Resource;
  resourceDetectors: ResourceDetector[];
  sampler: Sampler;
  spanProcessors: SpanProcessor[];
  metricReaders: MetricReader[];
  views: ViewOptions[];
  instrumentations: Instrumentation[];
}

/**
 * What NodeSDK.start() does, for the parts this app uses: context manager, propagators, resource, meter and tracer
 * providers, instrumentations. Not NodeSDK itself: its module imports every exporter it can configure (gRPC, Zipkin,
 * OTLP logs and metrics, B3) whatever the options, which costs start time and memory in every process (see the
 * README's Telemetry section). Returns the shutdown of both providers.
 */
export function registerProviders(options: ProviderOptions): () => Promise<void> {
  const logLevel = diagLogLevelFromString(process.env.OTEL_LOG_LEVEL?.trim() || undefined);
  if (logLevel !== undefined) diag.setLogger(new DiagConsoleLogger(), logLevel);
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const propagator = propagatorFromEnv();
  if (propagator !== undefined) propagation.setGlobalPropagator(propagator);

  const resource = options.resource.merge(detectResources({ detectors: options.resourceDetectors }));
  const meterProvider = new MeterProvider({ resource, views: options.views, readers: options.metricReaders });
  metrics.setGlobalMeterProvider(meterProvider);
  const tracerProvider = new TracerProvider({ resource, sampler: options.sampler, spanProcessors: options.spanProcessors });
  trace.setGlobalTracerProvider(tracerProvider);
  registerInstrumentations({ instrumentations: options.instrumentations, tracerProvider, meterProvider });
  return async () => {
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
  };
}

/** `OTEL_PROPAGATORS`: `tracecontext` and `baggage` (the default), or `none`. */
function propagatorFromEnv(env: NodeJS.ProcessEnv = process.env): TextMapPropagator | undefined {
  const names = (env.OTEL_PROPAGATORS ?? 'tracecontext,baggage').split(',').map((name) => name.trim()).filter(Boolean);
  if (names.includes('none')) return undefined;
  const propagators: TextMapPropagator[] = [];
  for (const name of new Set(names)) {
    if (name === 'tracecontext') propagators.push(new W3CTraceContextPropagator());
    else if (name === 'baggage') propagators.push(new W3CBaggagePropagator());
    else logTelemetry('warn', `OTEL_PROPAGATORS "${name}" is not supported; only tracecontext and baggage`);
  }
  return new CompositePropagator({ propagators });
}
