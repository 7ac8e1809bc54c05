import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard } from './dashboard.ts';
import { APP, LOKI, TEMPO } from './datasources.ts';
import { APP_LOGS, logQuery } from './logs.ts';
import { heatmap, logs, stat, table, timeSeries } from './panels.ts';
import { heatmapBuckets, instant, quantile, range, rateBy, slowerThanHalfSecond } from './queries.ts';
import { traceSearch } from './traces.ts';
import { instanceVariable, routeVariable } from './variables.ts';

const ROUTE = 'job="app", http_route="$route"';
const APP_ROUTE = `${APP}, http_route="$route"`;

/** One route in depth: its percentiles, the latency distribution, status codes, the traces and log lines behind them. */
export function endpointDrilldown(): Dashboard {
  return buildDashboard({
    uid: 'endpoint-drilldown',
    title: 'Endpoint drill-down',
    description: 'One route: latency percentiles and distribution, status codes, slow and failed traces, its log lines. SlowEndpoint and HighErrorRatio link here.',
    variables: [routeVariable(), instanceVariable()],
    sections: [
      {
        title: '$route',
        panels: [
          stat({
            title: 'Requests per second', description: 'All replicas (recording rule).', unit: 'reqps', span: 8,
            targets: [instant(`job_http_route:http_server_requests:rate5m{${ROUTE}}`)],
          }),
          stat({
            title: '5xx ratio', description: 'Share answered 5xx over 5 minutes (recording rule); HighErrorRatio fires above 5%.',
            unit: 'percentunit', span: 8, thresholds: [[0.05, 'red']],
            targets: [instant(`job_http_route:http_server_errors:ratio_rate5m{${ROUTE}}`)],
          }),
          stat({
            title: 'p95 latency', description: '95th percentile over 5 minutes (recording rule); SlowEndpoint fires above 500 ms.',
            unit: 's', span: 8, thresholds: [[0.5, 'red']],
            targets: [instant(`job_http_route:http_server_request_duration_seconds:p95_5m{${ROUTE}}`)],
          }),
          timeSeries({
            title: 'Latency percentiles', description: 'p50, p95 and p99 over all replicas (recording rules), and the p95 of the picked replicas.',
            unit: 's', thresholds: [[0.5, 'red']], thresholdLines: true,
            targets: [
              range(`job_http_route:http_server_request_duration_seconds:p50_5m{${ROUTE}}`, 'p50'),
              range(`job_http_route:http_server_request_duration_seconds:p95_5m{${ROUTE}}`, 'p95'),
              range(`job_http_route:http_server_request_duration_seconds:p99_5m{${ROUTE}}`, 'p99'),
              range(quantile(0.95, 'http_server_request_duration_seconds', APP_ROUTE, ['instance']), 'p95 {{instance}}').exemplar(true),
            ],
          }),
          heatmap({
            title: 'Latency distribution', description: 'Requests per latency bucket and time slot: two humps mean two kinds of request (e.g. cache hit and catalog call).',
            targets: [heatmapBuckets(`sum by (le) (increase(http_server_request_duration_seconds_bucket{${APP_ROUTE}}[$__rate_interval]))`)],
          }),
          timeSeries({
            title: 'Responses by status code', description: 'Answers per second by HTTP status.', unit: 'reqps', stacked: true,
            targets: [range(rateBy('http_server_request_duration_seconds_count', APP_ROUTE, ['http_response_status_code']), '{{http_response_status_code}}')],
          }),
          timeSeries({
            title: 'Requests over 500 ms by instance', description: 'Requests per second slower than the latency objective\'s 500 ms.', unit: 'reqps',
            targets: [range(slowerThanHalfSecond(APP_ROUTE, ['instance']), '{{instance}}')],
          }),
        ],
      },
      {
        title: 'Traces (Tempo)',
        panels: [
          table({
            title: 'Slow traces', description: 'Recent traces of this route over 500 ms; open one to see which span takes the time.',
            datasource: TEMPO, targets: [traceSearch('{ span.http.route = "$route" && duration > 500ms }')],
          }),
          table({
            title: 'Failed traces', description: 'Recent traces of this route whose server span ended in error (5xx).',
            datasource: TEMPO, targets: [traceSearch('{ span.http.route = "$route" && status = error }')],
          }),
        ],
      },
      {
        title: 'Logs (Loki)',
        panels: [
          logs({
            title: 'Request log of this route', description: 'The app\'s log lines of this route, newest first; expand a line for its fields, and its trace_id to open the trace.',
            datasource: LOKI, targets: [logQuery(`${APP_LOGS} | http_route="$route"`)],
          }),
        ],
      },
    ],
  });
}
