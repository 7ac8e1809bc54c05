// What one histogram record costs: the SDK's own histogram and PreAggregatedInstruments' (as the app records, with
// exemplars), with no span, an unsampled span and a sampled span in the context, with a cached frozen attribute
// object (as the app's records pass it, from memoized.ts) and with a new object per record (as a caller without one
// does). Prints ns/record (median of 7 runs of 1,000,000 each, the variants alternating).
import { ROOT_CONTEXT, trace, TraceFlags, type Context, type Histogram } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { latencyExemplarStore } from '../app/src/telemetry/exemplarInstruments.ts';
import { PreAggregatedInstruments } from '../app/src/telemetry/PreAggregatedInstruments.ts';
import { DURATION_BUCKETS_SECONDS, metricViews } from '../app/src/telemetry/views.ts';

const RECORDS = 1_000_000;
const RUNS = 7;
const NAME = 'http.server.request.duration';
const ATTRIBUTES = Object.freeze({ 'http.request.method': 'GET', 'http.route': '/api/tasks/:id', 'http.response.status_code': 200 });

function withSpan(traceFlags: TraceFlags): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '00f067aa0ba902b7', traceFlags });
}

/** ns per record of one run of RECORDS, with the cached attribute object or a copy of it per record. */
function timeRun(histogram: Histogram, ctx: Context, fresh: boolean): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < RECORDS; i += 1) histogram.record((i % 1000) / 1000, fresh ? { ...ATTRIBUTES } : ATTRIBUTES, ctx);
  return Number(process.hrtime.bigint() - start) / RECORDS;
}

const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

// The SDK's histogram gets the app's buckets from a view, as the app's durations get them.
const durationView = { instrumentUnit: 's', aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: DURATION_BUCKETS_SECONDS } } } as const;
const provider = new MeterProvider({ views: [...metricViews(), durationView] });
const options = { unit: 's' };
const instruments = new PreAggregatedInstruments({ resource: emptyResource(), durationBoundaries: DURATION_BUCKETS_SECONDS, exemplars: latencyExemplarStore() });
const kinds: Array<[string, Histogram, boolean]> = [
  ['SDK, cached attributes', provider.getMeter('sdk').createHistogram(NAME, options), false],
  ['SDK, new attributes', provider.getMeter('sdk').createHistogram(NAME, options), true],
  ['ours, cached attributes', instruments.meterProvider(provider, ['app']).getMeter('app').createHistogram(NAME, options), false],
  ['ours, new attributes', instruments.meterProvider(provider, ['app']).getMeter('app').createHistogram(NAME, options), true],
];
const contexts: Array<[string, Context]> = [['no span', ROOT_CONTEXT], ['unsampled span', withSpan(TraceFlags.NONE)], ['sampled span', withSpan(TraceFlags.SAMPLED)]];
const variants = contexts.flatMap(([context, ctx]) => kinds.map(([kind, histogram, fresh]) => ({ context, kind, ctx, histogram, fresh, times: [] as number[] })));
for (let round = 0; round < RUNS; round += 1) for (const variant of variants) variant.times.push(timeRun(variant.histogram, variant.ctx, variant.fresh));
console.log(`ns per record of ${NAME} (exemplars kept from sampled spans), median of ${RUNS} runs of ${RECORDS}`);
console.log(`| context | ${kinds.map(([kind]) => kind).join(' | ')} |`);
console.log(`|---|${kinds.map(() => '---:').join('|')}|`);
for (const [context] of contexts) {
  console.log(`| ${context} | ${variants.filter((variant) => variant.context === context).map((variant) => median(variant.times).toFixed(0)).join(' | ')} |`);
}
await provider.shutdown();
