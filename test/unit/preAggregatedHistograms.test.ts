import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import { AggregationType, DataPointType, MeterProvider, MetricReader, type HistogramMetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { PreAggregatedHistograms } from '../../app/src/telemetry/PreAggregatedHistograms.ts';
import { DURATION_BUCKETS_SECONDS } from '../../app/src/telemetry/views.ts';

class PullReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const NAME = 'db.client.operation.duration';
const OPTIONS = { description: 'Duration of database client operations.', unit: 's' };

/** The SDK's own explicit-bucket histogram with the same buckets, and ours, behind one reader each. */
function both() {
  const sdkReader = new PullReader();
  const sdk = new MeterProvider({
    views: [{ instrumentName: NAME, aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: DURATION_BUCKETS_SECONDS } } }],
    readers: [sdkReader],
  });
  const histograms = new PreAggregatedHistograms({ resource: emptyResource(), scopeName: 'test', boundaries: DURATION_BUCKETS_SECONDS });
  const oursReader = new PullReader({ metricProducers: [histograms] });
  const empty = new MeterProvider({ readers: [oursReader] });
  return {
    sdk: sdk.getMeter('test').createHistogram(NAME, OPTIONS),
    ours: histograms.meter(empty.getMeter('test')).createHistogram(NAME, OPTIONS),
    collect: async () => [histogramOf((await sdkReader.collect()).resourceMetrics), histogramOf((await oursReader.collect()).resourceMetrics)] as const,
  };
}

function histogramOf(resourceMetrics: ResourceMetrics): HistogramMetricData {
  const metric = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((candidate) => candidate.descriptor.name === NAME);
  assert.ok(metric !== undefined && metric.dataPointType === DataPointType.HISTOGRAM, `no ${NAME} histogram collected`);
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

describe('PreAggregatedHistograms', () => {
  it('collects what the SDK\'s explicit-bucket histogram collects for the same records, whatever the values and attribute objects', async () => {
    const value = fc.oneof(fc.constantFrom(...DURATION_BUCKETS_SECONDS, 0, 10.5), fc.double({ min: 0, max: 20, noNaN: true }), fc.constant(Number.NaN));
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
    const histograms = new PreAggregatedHistograms({ resource: emptyResource(), scopeName: 'test', boundaries: DURATION_BUCKETS_SECONDS });
    const reader = new PullReader({ metricProducers: [histograms] });
    const meter = histograms.meter(new MeterProvider({ readers: [reader] }).getMeter('test'));
    meter.createHistogram(NAME, OPTIONS).record(0.001, attributePool[0]);
    meter.createHistogram(NAME, OPTIONS).record(0.002, attributePool[2]);
    const metrics = (await reader.collect()).resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).filter((metric) => metric.descriptor.name === NAME);
    assert.equal(metrics.length, 1);
    assert.equal(metrics[0]!.dataPoints.length, 2);
  });
});
