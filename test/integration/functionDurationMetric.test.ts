import { strict as assert } from 'node:assert';
import { after, test } from 'node:test';
import { timed } from '../../app/src/profiling/timed.ts';
import { DURATION_BUCKETS_SECONDS } from '../../app/src/telemetry/views.ts';
import { samplesOf, scrape } from '../support/prometheusText.ts';
import { startTestTelemetry } from '../support/testTelemetry.ts';

const telemetry = await startTestTelemetry();
after(() => telemetry.handle.shutdown());

test('timed() feeds app_function_duration_seconds{function} with the standard duration buckets', async () => {
  let now = 0;
  const clock = { now: () => now };
  timed('report.render', () => { now += 20; }, clock);
  timed('report.render', () => { now += 300; }, clock);
  const result = await scrape(telemetry.metricsUrl);
  assert.equal(result.types.get('app_function_duration_seconds'), 'histogram');
  assert.deepEqual(samplesOf(result, 'app_function_duration_seconds_count', { function: 'report.render' }).map((s) => s.value), [2]);
  assert.deepEqual(samplesOf(result, 'app_function_duration_seconds_sum', { function: 'report.render' }).map((s) => s.value), [0.32]);
  const buckets = samplesOf(result, 'app_function_duration_seconds_bucket', { function: 'report.render' });
  assert.deepEqual(buckets.map((s) => s.labels.le), [...DURATION_BUCKETS_SECONDS.map(String), '+Inf']);
  assert.equal(buckets.find((s) => s.labels.le === '0.025')?.value, 1);
  assert.equal(buckets.find((s) => s.labels.le === '0.5')?.value, 2);
});
