import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { MetricsHistory } from '../../app/src/profiling/MetricsHistory.ts';

const boundaries = [0.1, 0.5, 1];

/** A snapshot with the instruments the history reads: cumulative request durations of one endpoint, CPU time, RSS. */
function snapshot(durationCounts: number[], cpuSeconds: number, rssBytes: number): ResourceMetrics {
  const metric = (name: string, dataPointType: DataPointType, value: unknown, attributes = {}) => ({
    descriptor: { name, unit: '', description: '', valueType: 1, type: 'x' },
    dataPointType,
    aggregationTemporality: 1,
    dataPoints: [{ attributes, startTime: [0, 0], endTime: [0, 0], value }],
  });
  const count = durationCounts.reduce((a, b) => a + b, 0);
  return {
    resource: {},
    scopeMetrics: [{
      scope: { name: 'test' },
      metrics: [
        metric('http.server.request.duration', DataPointType.HISTOGRAM, { buckets: { boundaries, counts: durationCounts }, count, sum: 0, min: 0.01, max: 0.9 }, {
          'http.request.method': 'GET',
          'http.route': '/api/tasks',
        }),
        metric('process.cpu.time', DataPointType.SUM, cpuSeconds),
        metric('process.memory.usage', DataPointType.GAUGE, rssBytes),
      ],
    }],
  } as unknown as ResourceMetrics;
}

test('each sample holds the latency quantiles of the requests of its interval only, and CPU per wall-clock time', async () => {
  const snapshots = [snapshot([100, 0, 0, 0], 1, 50e6), snapshot([100, 0, 10, 0], 1.5, 60e6)];
  const history = new MetricsHistory({ intervalMs: 1000, collect: async () => snapshots.shift() });
  await history.sample(10_000); // the baseline: no sample yet
  assert.deepEqual(history.samples(), []);
  await history.sample(12_000);
  const [sample] = history.samples();
  assert.equal(sample?.time, 12_000);
  assert.equal(sample?.cpuUtilization, 0.25);
  assert.equal(sample?.rssBytes, 60e6);
  // The 10 new requests all took 0.5–1 s; the 100 fast ones of before do not pull the quantiles down.
  assert.deepEqual(sample?.latency['GET /api/tasks'], { p50Ms: 750, p95Ms: 975, count: 10 });
});

test('an endpoint without requests in the interval has no latency point, and the window is bounded', async () => {
  const history = new MetricsHistory({ intervalMs: 1000, windowMs: 3000, collect: async () => snapshot([5, 0, 0, 0], 1, 1) });
  for (let second = 0; second < 10; second++) await history.sample(second * 1000);
  assert.equal(history.samples().length, 3);
  assert.deepEqual(history.samples().at(-1)?.latency, {});
});

test('without telemetry there are no samples', async () => {
  const history = new MetricsHistory({ intervalMs: 1000, collect: async () => undefined });
  await history.sample();
  await history.sample();
  assert.deepEqual(history.samples(), []);
});
