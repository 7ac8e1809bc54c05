import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard } from './dashboard.ts';
import { APP } from './datasources.ts';
import { stat, table, timeSeries } from './panels.ts';
import { instant, quantile, range, rateBy, slowerThanHalfSecond } from './queries.ts';
import { instanceVariable } from './variables.ts';

// In a table of an instant query the labels are columns: the link takes the clicked row's http_route.
const DRILLDOWN = '/d/endpoint-drilldown?var-route=${__data.fields.http_route}&${__url_time_range}';

/** RED per route (rate, errors, duration) from the recording rules, the slowest routes, and the same split by replica. */
export function serviceOverview(): Dashboard {
  return buildDashboard({
    uid: 'service-overview',
    title: 'Service overview',
    description: 'Requests, errors and latency of every route of the app; start here.',
    variables: [instanceVariable()],
    sections: [
      {
        title: 'All replicas',
        panels: [
          stat({
            title: 'Requests per second', description: 'All routes, all replicas (recording rule, 5 minute rate).', unit: 'reqps',
            targets: [instant('sum(job_http_route:http_server_requests:rate5m{job="app"})')],
          }),
          stat({
            title: '5xx ratio', description: 'Share of requests answered 5xx over 5 minutes; the availability objective allows 0.1%.',
            unit: 'percentunit', thresholds: [[0.001, 'orange'], [0.05, 'red']],
            targets: [instant('job:slo_availability_errors:ratio_rate5m{job="app"}')],
          }),
          stat({
            title: 'p95 latency', description: 'All routes of the picked replicas. SlowEndpoint fires on a route above 500 ms.',
            unit: 's', thresholds: [[0.25, 'orange'], [0.5, 'red']],
            targets: [instant(quantile(0.95, 'http_server_request_duration_seconds', APP))],
          }),
          stat({
            title: 'Replicas up', description: 'App replicas Prometheus scrapes successfully.',
            targets: [instant('sum(up{job="app", instance=~"$instance"})')],
          }),
          timeSeries({
            title: 'Request rate by route', description: 'Requests per second per route template (recording rule).', unit: 'reqps',
            targets: [range('job_http_route:http_server_requests:rate5m{job="app"}', '{{http_route}}')],
          }),
          timeSeries({
            title: '5xx ratio by route', description: 'Share of each route\'s requests answered 5xx (recording rule); HighErrorRatio fires above 5%.',
            unit: 'percentunit', thresholds: [[0.05, 'red']], thresholdLines: true,
            targets: [range('job_http_route:http_server_errors:ratio_rate5m{job="app"}', '{{http_route}}')],
          }),
          timeSeries({
            // From the raw buckets rather than the recording rule: recorded series carry no exemplars.
            title: 'p95 latency by route',
            description: '95th percentile per route of the picked replicas; SlowEndpoint fires above 500 ms. The dots are exemplars: each a sampled request on its latency bucket, a click opens its trace.',
            unit: 's', thresholds: [[0.5, 'red']], thresholdLines: true,
            targets: [range(quantile(0.95, 'http_server_request_duration_seconds', APP, ['http_route']), '{{http_route}}').exemplar(true)],
          }),
          timeSeries({
            title: 'Responses by status code', description: 'Answers per second by HTTP status: the load generator sends some 400 and 404 on purpose.',
            unit: 'reqps', stacked: true,
            targets: [range(rateBy('http_server_request_duration_seconds_count', APP, ['http_response_status_code']), '{{http_response_status_code}}')],
          }),
        ],
      },
      {
        title: 'Top slow routes',
        panels: [
          table({
            title: 'Slowest routes (p95)', description: 'The five routes with the highest 95th percentile; a click opens the endpoint drill-down.',
            unit: 's', thresholds: [[0.5, 'red']], links: [{ title: 'Endpoint drill-down', url: DRILLDOWN }],
            targets: [instant('topk(5, job_http_route:http_server_request_duration_seconds:p95_5m{job="app"})', '{{http_route}}')],
          }),
          table({
            title: 'Most requests over 500 ms', description: 'Requests per second slower than 500 ms (the latency objective\'s bound), by route.',
            unit: 'reqps', links: [{ title: 'Endpoint drill-down', url: DRILLDOWN }],
            targets: [instant(`topk(5, ${slowerThanHalfSecond(APP, ['http_route'])})`, '{{http_route}}')],
          }),
        ],
      },
      {
        title: 'By replica',
        panels: [
          timeSeries({
            title: 'Request rate by instance', description: 'How the load spreads over the replicas.', unit: 'reqps', span: 8,
            targets: [range(rateBy('http_server_request_duration_seconds_count', APP, ['instance']), '{{instance}}')],
          }),
          timeSeries({
            title: '5xx rate by instance', description: 'Failed requests per second per replica: one bad replica stands out here.', unit: 'reqps', span: 8,
            targets: [range(rateBy('http_server_request_duration_seconds_count', `${APP}, http_response_status_code=~"5.."`, ['instance']), '{{instance}}')],
          }),
          timeSeries({
            title: 'p95 latency by instance', description: '95th percentile per replica, all routes; the dots are exemplars, each a sampled request and a link to its trace.', unit: 's', span: 8,
            // Exemplars need the raw buckets: a recording rule's series (the panels above) has none.
            targets: [range(quantile(0.95, 'http_server_request_duration_seconds', APP, ['instance']), '{{instance}}').exemplar(true)],
          }),
        ],
      },
    ],
  });
}

