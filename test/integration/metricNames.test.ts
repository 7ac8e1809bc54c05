import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DURATION_BUCKETS_SECONDS } from '../../app/src/telemetry/views.ts';
import { samplesOf, scrape, type Scrape } from '../support/prometheusText.ts';
import { startTestTelemetry } from '../support/testTelemetry.ts';

/**
 * The names and labels Prometheus sees, exactly as docs/METRICS.md lists them: an upgrade that renames a metric or
 * adds a label fails here instead of emptying a dashboard or breaking an alert.
 */
const telemetry = await startTestTelemetry();
const { startTestApp } = await import('../support/startTestApp.ts');
const app = await startTestApp();
after(async () => {
  await app.stop();
  await telemetry.handle.shutdown();
});

let result: Scrape;
before(async () => {
  const { token } = await app.api.newUser('Pin');
  const { body } = await app.api.post('/api/tasks', { title: 'pinned' }, { token });
  await app.api.patch(`/api/tasks/${body.id}`, { status: 'doing' }, { token });
  await app.api.delete(`/api/tasks/${body.id}`, { token });
  await app.api.get('/readyz'); // a Redis PING
  // Enough garbage for at least one garbage collection, so v8js_gc_duration has a sample.
  for (let i = 0; i < 200; i++) new Array(100_000).fill(i);
  await new Promise((resolve) => setTimeout(resolve, 50));
  result = await scrape(telemetry.metricsUrl);
});

/** [Prometheus name, type, labels] as in docs/METRICS.md; histograms are checked on their `_count` series. */
const PINNED: [string, string, string[]][] = [
  ['http_server_request_duration_seconds', 'histogram', ['http_request_method', 'http_response_status_code', 'http_route']],
  // The test's own fetch calls are outbound requests of this process.
  ['http_client_request_duration_seconds', 'histogram', ['http_request_method', 'http_response_status_code', 'server_address']],
  ['db_client_operation_duration_seconds', 'histogram', ['db_namespace', 'db_operation_name', 'db_system_name', 'server_address']],
  ['db_client_connection_count', 'gauge', ['db_client_connection_state']],
  ['db_client_connection_pending_requests', 'gauge', []],
  ['app_tasks_changes_total', 'counter', ['operation']],
  ['process_disk_io_bytes_total', 'counter', ['disk_io_direction']],
  ['nodejs_eventloop_delay_p99_seconds', 'gauge', []],
  ['nodejs_eventloop_utilization_ratio', 'gauge', []],
  ['v8js_gc_duration_seconds', 'histogram', ['v8js_gc_type']],
  ['v8js_memory_heap_used_bytes', 'gauge', ['v8js_heap_space_name']],
  ['process_cpu_time_seconds_total', 'counter', ['process_cpu_state']],
  ['process_memory_usage_bytes', 'gauge', []],
  ['system_cpu_utilization_ratio', 'gauge', ['system_cpu_logical_number', 'system_cpu_state']],
  ['system_memory_usage_bytes', 'gauge', ['system_memory_state']],
  ['system_network_io_bytes_total', 'counter', ['network_io_direction', 'system_device']],
  ['system_network_errors_total', 'counter', ['network_io_direction', 'system_device']],
  ['system_network_dropped_total', 'counter', ['network_io_direction', 'system_device']],
];

/** On every series: the resource attributes that dashboards built for Prometheus's OTLP ingestion filter by. */
const RESOURCE_LABELS = ['deployment_environment_name', 'service_name', 'service_namespace'];

for (const [name, type, labels] of PINNED) {
  test(`${name} is a ${type} labelled by ${labels.join(', ') || 'nothing'} and the resource labels`, () => {
    const series = samplesOf(result, type === 'histogram' ? `${name}_count` : name);
    assert.ok(series.length > 0, `no ${name} in the scrape`);
    assert.equal(result.types.get(name), type);
    for (const sample of series) assert.deepEqual(Object.keys(sample.labels).toSorted(), [...labels, ...RESOURCE_LABELS].toSorted());
  });
}

test('the resource labels are the service\'s own: app, observable-node-stack, the NODE_ENV', () => {
  const [sample] = samplesOf(result, 'http_server_request_duration_seconds_count');
  assert.deepEqual(
    { service_name: sample?.labels.service_name, service_namespace: sample?.labels.service_namespace, deployment_environment_name: sample?.labels.deployment_environment_name },
    { service_name: 'app', service_namespace: 'observable-node-stack', deployment_environment_name: process.env.NODE_ENV ?? 'development' },
  );
});

test('db_client_operation_duration_seconds covers PostgreSQL and Redis', () => {
  const systems = new Set(samplesOf(result, 'db_client_operation_duration_seconds_count').map((s) => s.labels.db_system_name));
  assert.deepEqual(systems, new Set(['postgresql', 'redis']));
});

test('every duration histogram has the buckets whose boundaries are the alert thresholds', () => {
  const histograms = [...result.types].filter(([name, type]) => type === 'histogram' && name.endsWith('_seconds')).map(([name]) => name);
  assert.ok(histograms.length >= 4, `only ${histograms.join(', ')}`);
  for (const name of histograms) {
    const first = samplesOf(result, `${name}_bucket`)[0];
    assert.ok(first, `${name} has no buckets`);
    const sameSeries = samplesOf(result, `${name}_bucket`, Object.fromEntries(Object.entries(first.labels).filter(([key]) => key !== 'le')));
    assert.deepEqual(sameSeries.map((s) => s.labels.le), [...DURATION_BUCKETS_SECONDS.map(String), '+Inf'], name);
  }
});
