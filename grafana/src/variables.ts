import { QueryVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from './datasources.ts';

/**
 * The app's replicas (`docker compose up --scale app=3` gives three): several or all at once. "All" matches every
 * replica, including ones that start after the dashboard was loaded.
 */
export function instanceVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('instance')
    .label('Instance')
    .datasource(PROMETHEUS)
    .query('label_values(up{job="app"}, instance)')
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

/** One HTTP route template of the app, from the per-route recording rule. */
export function routeVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('route')
    .label('Route')
    .datasource(PROMETHEUS)
    .query('label_values(job_http_route:http_server_requests:rate5m{job="app"}, http_route)')
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .current({ selected: true, text: '/api/recommendations', value: '/api/recommendations' });
}
