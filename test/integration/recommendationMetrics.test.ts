import assert from 'node:assert/strict';
import { metrics } from '@opentelemetry/api';
import { DataPointType, MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { after, before, describe, test } from 'node:test';
import { startAppWithCatalog, userWithTags, type AppWithCatalog } from '../support/startAppWithCatalog.ts';

class PullReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** The Prometheus name docs/METRICS.md derives from an instrument: dots to underscores, unit suffix, _total. */
function prometheusName(metric: MetricData): string {
  const suffix = { s: '_seconds', By: '_bytes' }[metric.descriptor.unit] ?? '';
  const total = metric.dataPointType === DataPointType.SUM && metric.isMonotonic ? '_total' : '';
  return metric.descriptor.name.replaceAll('.', '_') + suffix + total;
}

/** Each app_ series as `name{label=value,…}`, labels as Prometheus sees them. */
async function series(reader: MetricReader): Promise<Set<string>> {
  const { resourceMetrics } = await reader.collect();
  const found = new Set<string>();
  for (const metric of resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)) {
    for (const point of metric.dataPoints as { attributes: Record<string, unknown> }[]) {
      const labels = Object.entries(point.attributes).map(([key, value]) => `${key.replaceAll('.', '_')}=${String(value)}`).sort();
      found.add(`${prometheusName(metric)}{${labels.join(',')}}`);
    }
  }
  return found;
}

describe('recommendation metrics', () => {
  const reader = new PullReader();
  let env: AppWithCatalog;
  before(async () => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    env = await startAppWithCatalog({ CATALOG_MAX_ATTEMPTS: '2', CATALOG_BREAKER_THRESHOLD: '2', CATALOG_BREAKER_COOLDOWN_MS: '60000' });
  });
  after(() => env.stop());

  test('carry the names and labels of docs/METRICS.md', async () => {
    const token = await userWithTags(env.app, ['house']);
    await env.app.api.get('/api/recommendations', { token });
    await env.app.api.get('/api/recommendations', { token });
    env.catalog.control.set({ errorRate: 1 });
    const other = await userWithTags(env.app, ['techno'], 'Other');
    await env.app.api.get('/api/recommendations', { token: other });
    await env.app.api.get('/api/recommendations', { token: other });

    const found = await series(reader);
    for (const expected of [
      'app_recommendations_served_total{source=catalog}',
      'app_recommendations_served_total{source=cache}',
      'app_cache_requests_total{cache_name=top,result=miss}',
      'app_cache_requests_total{cache_name=top,result=hit}',
      'app_cache_requests_total{cache_name=item,result=hit}',
      'app_catalog_request_duration_seconds{catalog_endpoint=top,outcome=success}',
      'app_catalog_request_duration_seconds{catalog_endpoint=items,outcome=success}',
      'app_catalog_request_duration_seconds{catalog_endpoint=top,outcome=server_error}',
      'app_catalog_response_size_bytes{catalog_endpoint=items}',
      'app_catalog_retries_total{catalog_endpoint=top,reason=server_error}',
      'app_catalog_breaker_rejections_total{catalog_endpoint=top}',
      'app_catalog_breaker_state{}',
    ]) {
      assert.ok(found.has(expected), `${expected} missing; found:\n${[...found].filter((name) => name.startsWith('app_')).join('\n')}`);
    }
  });
});
