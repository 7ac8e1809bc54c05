import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueType, type Attributes } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import { AggregationTemporality, AggregationType, DataPointType, MeterProvider, MetricReader, type HistogramMetricData, type ResourceMetrics, type SumMetricData } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { PreAggregatedInstruments } from '../../app/src/telemetry/PreAggregatedInstruments.ts';
import { DURATION_BUCKETS_SECONDS } from '../../app/src/telemetry/views.ts';

class PullReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const NAME = 'db.client.operation.duration';
const OPTIONS = { description: 'Duration of database client operations.', unit: 's' };
const EMPTY_HISTOGRAM = {
  descriptor: { name: NAME, ...OPTIONS, valueType: ValueType.DOUBLE },
  aggregationTemporality: AggregationTemporality.CUMULATIVE,
  dataPointType: DataPointType.HISTOGRAM,
  dataPoints: [],
} as const satisfies HistogramMetricData;

/** A MeterProvider of the SDK (with the app's duration buckets as a view) and one whose 'test' meter is ours. */
function providers() {
  const sdkReader = new PullReader();
  const sdk = new MeterProvider({
    views: [{ instrumentUnit: 's', aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: DURATION_BUCKETS_SECONDS } } }],
    readers: [sdkReader],
  });
  const instruments = new PreAggregatedInstruments({ resource: emptyResource(), durationBoundaries: DURATION_BUCKETS_SECONDS });
  const oursReader = new PullReader({ metricProducers: [instruments] });
  const ours = instruments.meterProvider(new MeterProvider({ readers: [oursReader] }), ['test']);
  const metric = async (reader: MetricReader, name: string) =>
    (await reader.collect()).resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((candidate) => candidate.descriptor.name === name);
  return { sdk: sdk.getMeter('test'), ours: ours.getMeter('test'), collect: async (name: string) => [await metric(sdkReader, name), await metric(oursReader, name)] as const };
}

/** The SDK's own explicit-bucket histogram with the same buckets, and ours. */
function both() {
  const { sdk, ours, collect } = providers();
  return {
    sdk: sdk.createHistogram(NAME, OPTIONS),
    ours: ours.createHistogram(NAME, OPTIONS),
    collect: async () => (await collect(NAME)).map(histogramOf) as [HistogramMetricData, HistogramMetricData],
  };
}

/** The histogram collected, or an empty one where the SDK leaves out an instrument without series. */
function histogramOf(metric: ResourceMetrics['scopeMetrics'][number]['metrics'][number] | undefined): HistogramMetricData {
  if (metric === undefined) return { ...EMPTY_HISTOGRAM };
  assert.equal(metric.dataPointType, DataPointType.HISTOGRAM);
  return metric;
}

/** What Prometheus and the snapshot read of a histogram: per series, its buckets, sum, count, min and max. */
function points(metric: HistogramMetricData) {
  return metric.dataPoints
    // The SDK writes min and max as undefined when a series has no value yet; they are left out here then.
    .map(({ attributes, value: { min, max, ...value } }) => ({ attributes, ...value, ...(value.count > 0 && { min, max }) }))
    .sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)));
}

const attributePool: Attributes[] = [
  { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.namespace': 'app', 'server.address': '127.0.0.1' },
  { 'db.system.name': 'postgresql', 'db.operation.name': 'INSERT', 'db.namespace': 'app', 'server.address': '127.0.0.1' },
  { 'db.system.name': 'redis', 'db.operation.name': 'GET', 'db.namespace': '0', 'server.address': '127.0.0.1' },
  {},
];

describe('PreAggregatedInstruments', () => {
  it('collects what the SDK\'s explicit-bucket histogram collects for the same records, whatever the values and attribute objects', async () => {
    const value = fc.oneof(fc.constantFrom(...DURATION_BUCKETS_SECONDS, 0, -0, 10.5, -1), fc.double({ min: 0, max: 20, noNaN: true }), fc.constant(Number.NaN));
    // The same attributes as a cached frozen object, a fresh object, or a fresh one with its keys in another order.
    const attributes = fc.tuple(fc.nat(attributePool.length - 1), fc.constantFrom('cached', 'fresh', 'reordered')).map(([index, form]) => ({ index, form }));
    const frozen = attributePool.map((pool) => Object.freeze({ ...pool }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(value, attributes), { minLength: 1, maxLength: 200 }), async (records) => {
        const { sdk, ours, collect } = both();
        for (const [recorded, { index, form }] of records) {
          const pool = attributePool[index]!;
          const given = form === 'cached' ? frozen[index]! : form === 'fresh' ? { ...pool } : Object.fromEntries(Object.entries(pool).reverse());
          sdk.record(recorded, given);
          ours.record(recorded, given);
        }
        const [fromSdk, fromOurs] = await collect();
        assert.deepEqual(fromOurs.descriptor.name, fromSdk.descriptor.name);
        assert.equal(fromOurs.descriptor.unit, fromSdk.descriptor.unit);
        assert.equal(fromOurs.descriptor.description, fromSdk.descriptor.description);
        assert.equal(fromOurs.aggregationTemporality, fromSdk.aggregationTemporality);
        assert.deepEqual(points(fromOurs), points(fromSdk));
      }),
      { numRuns: 200 },
    );
  });

  it('is cumulative across collections and keeps series apart', async () => {
    const { sdk, ours, collect } = both();
    const select = Object.freeze({ ...attributePool[0]! });
    const record = (value: number, attributes: Attributes) => [sdk, ours].forEach((histogram) => histogram.record(value, attributes));
    record(0.004, select);
    record(0.3, select);
    const [, first] = await collect();
    record(7, select);
    record(0.02, attributePool[2]!);
    const [secondSdk, second] = await collect();
    assert.deepEqual(points(second), points(secondSdk));
    assert.deepEqual(points(first).map((point) => point.count), [2]);
    const selectPoint = points(second).find((point) => point.attributes['db.operation.name'] === 'SELECT')!;
    assert.deepEqual([selectPoint.count, selectPoint.sum, selectPoint.min, selectPoint.max], [3, 7.304, 0.004, 7]);
    assert.deepEqual(selectPoint.buckets.counts, [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]);
  });

  it('puts records beyond the SDK\'s cardinality limit of 2000 series into its overflow series, as the SDK does', async () => {
    const { sdk, ours, collect } = both();
    for (let n = 0; n < 2100; n++) {
      const attributes = Object.freeze({ 'db.operation.name': `op${n}` });
      sdk.record(0.001, attributes);
      ours.record(0.001, attributes);
    }
    const [fromSdk, fromOurs] = await collect();
    assert.equal(fromOurs.dataPoints.length, 2000);
    assert.deepEqual(points(fromOurs), points(fromSdk));
    assert.equal(points(fromOurs).find((point) => point.attributes['otel.metric.overflow'] === true)?.count, 101);
  });

  it('gives every caller of one name the same instrument (pg and Redis share db.client.operation.duration)', async () => {
    const { ours, collect } = providers();
    ours.createHistogram(NAME, OPTIONS).record(0.001, attributePool[0]);
    ours.createHistogram(NAME, OPTIONS).record(0.002, attributePool[2]);
    const [, metric] = await collect(NAME);
    assert.equal(metric?.dataPoints.length, 2);
  });

  it('counts what the SDK\'s counter counts, and gives other histograms their advice\'s buckets or the SDK\'s default', async () => {
    const increment = fc.oneof(fc.nat(5), fc.double({ min: -2, max: 1000, noNaN: true }));
    const size = fc.oneof(fc.nat(2_000_000), fc.constantFrom(256, 1024, 0));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(increment, size, fc.nat(attributePool.length - 1)), { minLength: 1, maxLength: 100 }), async (records) => {
        const { sdk, ours, collect } = providers();
        const advised = { unit: 'By', advice: { explicitBucketBoundaries: [256, 1024, 4096] } };
        const made = [sdk, ours].map((meter) => ({
          counter: meter.createCounter('app.cache.requests', { description: 'lookups' }),
          advised: meter.createHistogram('app.catalog.response.size', advised),
          plain: meter.createHistogram('app.items', {}),
        }));
        for (const [by, bytes, index] of records) {
          for (const { counter, advised: sized, plain } of made) {
            counter.add(by, attributePool[index]);
            sized.record(bytes, attributePool[index]);
            plain.record(bytes / 100);
          }
        }
        const [sdkCount, ourCount] = (await collect('app.cache.requests')) as [SumMetricData | undefined, SumMetricData | undefined];
        assert.equal(ourCount?.isMonotonic, sdkCount?.isMonotonic);
        assert.equal(ourCount?.dataPointType, sdkCount?.dataPointType);
        const sums = (metric: SumMetricData | undefined) =>
          (metric?.dataPoints ?? []).map(({ attributes, value }) => ({ attributes, value })).sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)));
        assert.deepEqual(sums(ourCount), sums(sdkCount));
        for (const name of ['app.catalog.response.size', 'app.items']) {
          const [fromSdk, fromOurs] = (await collect(name)).map((metric) => metric as HistogramMetricData);
          assert.deepEqual(points(fromOurs!), points(fromSdk!), name);
        }
      }),
      { numRuns: 100 },
    );
  });
});
