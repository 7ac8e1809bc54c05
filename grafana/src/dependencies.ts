import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard } from './dashboard.ts';
import { APP } from './datasources.ts';
import { stat, timeSeries } from './panels.ts';
import { instant, quantile, range, rateBy } from './queries.ts';
import { instanceVariable } from './variables.ts';

const REDIS = `${APP}, db_system_name="redis"`;
const POSTGRES = `${APP}, db_system_name="postgresql"`;

/**
 * What the app waits on, seen from the app (its own client metrics, per replica) and, for PostgreSQL and Redis, from
 * their exporters in the compose stack (jobs `postgres` and `redis`).
 */
export function dependencies(): Dashboard {
  return buildDashboard({
    uid: 'dependencies',
    title: 'Dependencies',
    description: 'The catalog API, Redis and PostgreSQL: latency, errors, retries, rate limits, the circuit breaker and the cache.',
    variables: [instanceVariable()],
    sections: [
      {
        title: 'Catalog API',
        panels: [
          timeSeries({
            title: 'Catalog call latency p95', description: 'One HTTP attempt to the catalog, by endpoint; CatalogSlow fires above 1 s.', unit: 's', span: 8,
            thresholds: [[1, 'red']], thresholdLines: true,
            targets: [range(quantile(0.95, 'app_catalog_request_duration_seconds', APP, ['catalog_endpoint']), '{{catalog_endpoint}}').exemplar(true)],
          }),
          timeSeries({
            title: 'Catalog calls by outcome', description: 'Attempts per second: success, rate_limited (429), server_error, timeout, network_error.', unit: 'reqps', span: 8, stacked: true,
            targets: [range(rateBy('app_catalog_request_duration_seconds_count', APP, ['catalog_endpoint', 'outcome']), '{{catalog_endpoint}} {{outcome}}')],
          }),
          timeSeries({
            title: 'Retries by reason', description: 'Retried attempts per second; they spend the retry budget.', unit: 'reqps', span: 8,
            targets: [range(rateBy('app_catalog_retries_total', APP, ['reason']), '{{reason}}')],
          }),
          timeSeries({
            title: 'Rate limited (429)', description: 'Attempts the catalog refused with 429, per second; the client waits for Retry-After.', unit: 'reqps', span: 8,
            targets: [range(rateBy('app_catalog_request_duration_seconds_count', `${APP}, outcome="rate_limited"`, ['catalog_endpoint']), '{{catalog_endpoint}}')],
          }),
          timeSeries({
            title: 'Circuit breaker state', description: '0 closed, 1 half-open, 2 open (calls refused without trying).', span: 8,
            thresholds: [[1, 'orange'], [2, 'red']],
            targets: [range(`max by (instance) (app_catalog_breaker_state{${APP}})`, '{{instance}}')],
          }),
          timeSeries({
            title: 'Calls refused by the open breaker', description: 'Per second, by endpoint.', unit: 'reqps', span: 8,
            targets: [range(rateBy('app_catalog_breaker_rejections_total', APP, ['catalog_endpoint']), '{{catalog_endpoint}}')],
          }),
          timeSeries({
            title: 'Outbound HTTP latency p95', description: 'Every fetch of the app (undici), by server: the catalog\'s latency including connection set-up.', unit: 's',
            targets: [range(quantile(0.95, 'http_client_request_duration_seconds', APP, ['server_address']), '{{server_address}}')],
          }),
          timeSeries({
            title: 'Catalog response size p95', description: 'Body size of catalog responses, by endpoint.', unit: 'bytes',
            targets: [range(quantile(0.95, 'app_catalog_response_size_bytes', APP, ['catalog_endpoint']), '{{catalog_endpoint}}')],
          }),
        ],
      },
      {
        title: 'Redis',
        panels: [
          timeSeries({
            title: 'Cache hit ratio', description: 'Fresh hits among all cache lookups, by cache. A short CACHE_TTL_SECONDS keeps it low.', unit: 'percentunit', span: 8,
            targets: [range(`${rateBy('app_cache_requests_total', `${APP}, result="hit"`, ['cache_name'])} / ${rateBy('app_cache_requests_total', APP, ['cache_name'])}`, '{{cache_name}}')],
          }),
          timeSeries({
            title: 'Cache lookups by result', description: 'hit, miss, stale (served while the catalog is down) and error (Redis failed) per second.', unit: 'reqps', span: 8, stacked: true,
            targets: [range(rateBy('app_cache_requests_total', APP, ['cache_name', 'result']), '{{cache_name}} {{result}}')],
          }),
          timeSeries({
            title: 'Redis command latency p95', description: 'As the app sees it, by command.', unit: 's', span: 8,
            targets: [range(quantile(0.95, 'db_client_operation_duration_seconds', REDIS, ['db_operation_name']), '{{db_operation_name}}')],
          }),
          stat({
            title: 'Redis exporter up', description: 'redis_exporter reaches Redis (compose stack only).',
            targets: [instant('redis_up{job="redis"}')],
          }),
          stat({
            title: 'Redis clients', description: 'Connected clients (redis_exporter).',
            targets: [instant('redis_connected_clients{job="redis"}')],
          }),
          stat({
            title: 'Redis memory', description: 'Used memory; the compose Redis evicts (allkeys-lru) at 128 MB.', unit: 'bytes',
            targets: [instant('redis_memory_used_bytes{job="redis"}')],
          }),
          stat({
            title: 'Redis commands per second', description: 'All clients (redis_exporter).', unit: 'ops',
            targets: [instant('sum(rate(redis_commands_processed_total{job="redis"}[$__rate_interval]))')],
          }),
        ],
      },
      {
        title: 'PostgreSQL',
        panels: [
          timeSeries({
            title: 'Query latency p95', description: 'As the app sees it, by operation.', unit: 's', span: 8,
            targets: [range(quantile(0.95, 'db_client_operation_duration_seconds', POSTGRES, ['db_operation_name']), '{{db_operation_name}}')],
          }),
          timeSeries({
            title: 'Queries per second', description: 'By operation.', unit: 'ops', span: 8, stacked: true,
            targets: [range(rateBy('db_client_operation_duration_seconds_count', POSTGRES, ['db_operation_name']), '{{db_operation_name}}')],
          }),
          timeSeries({
            title: 'Connection pool', description: 'Pool connections by state, and requests waiting for one (PG_POOL_MAX caps the pool).', span: 8,
            targets: [
              range(`sum by (db_client_connection_state) (db_client_connection_count{${APP}})`, '{{db_client_connection_state}}'),
              range(`sum(db_client_connection_pending_requests{${APP}})`, 'waiting'),
            ],
          }),
          stat({
            title: 'PostgreSQL exporter up', description: 'postgres_exporter reaches PostgreSQL (compose stack only).',
            targets: [instant('pg_up{job="postgres"}')],
          }),
          stat({
            title: 'Backends', description: 'Server processes connected to the app database (postgres_exporter).',
            targets: [instant('sum(pg_stat_database_numbackends{job="postgres", datname="app"})')],
          }),
          stat({
            title: 'Commits per second', description: 'Transactions committed in the app database (postgres_exporter).', unit: 'ops',
            targets: [instant('sum(rate(pg_stat_database_xact_commit{job="postgres", datname="app"}[$__rate_interval]))')],
          }),
          stat({
            title: 'Rollbacks per second', description: 'Failed or aborted transactions; the app rolls back on errors (postgres_exporter).', unit: 'ops',
            thresholds: [[0.1, 'orange']],
            targets: [instant('sum(rate(pg_stat_database_xact_rollback{job="postgres", datname="app"}[$__rate_interval]))')],
          }),
        ],
      },
      {
        title: 'Scrape targets',
        panels: [
          timeSeries({
            title: 'Targets up', description: '1 when Prometheus scrapes the target; TargetDown fires after a minute at 0.', span: 24, height: 6,
            targets: [range('up', '{{job}} {{instance}}')],
          }),
        ],
      },
    ],
  });
}
