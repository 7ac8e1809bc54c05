// What an exemplar costs per histogram record: the SDK's own histogram against the ExemplarMeterProvider's, with no
// span, an unsampled span and a sampled span in the context. Prints ns/record (median of 7 runs of 1,000,000 each).
import { ROOT_CONTEXT, trace, TraceFlags, type Context, type Histogram } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { latencyExemplarStore } from '../app/src/telemetry/exemplarInstruments.ts';
import { ExemplarMeterProvider } from '../app/src/telemetry/ExemplarMeterProvider.ts';
import { metricViews } from '../app/src/telemetry/views.ts';

const RECORDS = 1_000_000;
const RUNS = 7;
const ATTRIBUTES = { 'http.request.method': 'GET', 'http.route': '/api/tasks/:id', 'http.response.status_code': 200, 'url.scheme': 'http' };

function withSpan(traceFlags: TraceFlags): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '00f067aa0ba902b7', traceFlags });
}

/** ns per record of one run of RECORDS. */
function timeRun(histogram: Histogram, ctx: Context): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < RECORDS; i += 1) histogram.record((i % 1000) / 1000, ATTRIBUTES, ctx);
  return Number(process.hrtime.bigint() - start) / RECORDS;
}

const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const provider = new MeterProvider({ views: metricViews('app') });
const options = { unit: 's' };
const plain = provider.getMeter('bench').createHistogram('http.server.request.duration', options);
const withExemplars = new ExemplarMeterProvider(provider, latencyExemplarStore()).getMeter('bench').createHistogram('http.server.request.duration', options);
const contexts: Array<[string, Context]> = [['no span', ROOT_CONTEXT], ['unsampled span', withSpan(TraceFlags.NONE)], ['sampled span', withSpan(TraceFlags.SAMPLED)]];
// Rounds alternate the variants, so that load from other processes and JIT warm-up spread over all of them.
const variants = contexts.flatMap(([name, ctx]) => [{ name, ctx, histogram: plain, times: [] as number[] }, { name, ctx, histogram: withExemplars, times: [] as number[] }]);
for (let round = 0; round < RUNS; round += 1) for (const variant of variants) variant.times.push(timeRun(variant.histogram, variant.ctx));
console.log(`context            SDK histogram   with exemplars   difference   (median of ${RUNS} runs of ${RECORDS})`);
for (let i = 0; i < variants.length; i += 2) {
  const [base, wrapped] = [median(variants[i]?.times ?? []), median(variants[i + 1]?.times ?? [])];
  console.log(`${(variants[i]?.name ?? '').padEnd(18)} ${base.toFixed(0).padStart(8)} ns ${wrapped.toFixed(0).padStart(12)} ns ${(wrapped - base).toFixed(0).padStart(9)} ns`);
}
await provider.shutdown();
