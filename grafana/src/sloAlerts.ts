import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard } from './dashboard.ts';
import { stat, table, timeSeries } from './panels.ts';
import { instant, range } from './queries.ts';
import { instanceVariable } from './variables.ts';

/** The objectives of prometheus/rules/slo-alerts.yml: their error budgets as fractions of requests. */
const AVAILABILITY_BUDGET = 0.001;
const LATENCY_BUDGET = 0.01;
const WINDOWS = ['5m', '30m', '1h', '6h'];
const REQUESTS = 'http_server_request_duration_seconds_count{job="app"}';

function burnRates(sli: string, budget: number): ReturnType<typeof range>[] {
  return WINDOWS.map((window) => range(`job:${sli}:ratio_rate${window}{job="app"} / ${budget}`, `{{job}} ${window}`));
}

/** Share of the dashboard range's error budget left: 1 − (bad share over the range) / budget; negative once blown. */
function budgetLeft(bad: string, budget: number): string {
  return `1 - (${bad}) / sum(increase(${REQUESTS}[$__range])) / ${budget}`;
}

/** The availability and latency SLOs: SLIs, burn rates against the alert thresholds, budget left, and alerts. */
export function sloAlerts(): Dashboard {
  return buildDashboard({
    uid: 'slo-alerts',
    title: 'SLOs and alerts',
    description: 'Availability (99.9% not 5xx) and latency (99% under 500 ms) objectives: burn rates, error budget, and the alerts pending or firing. The SLO alerts link here.',
    variables: [instanceVariable()],
    sections: [
      {
        title: 'Objectives',
        panels: [
          stat({
            title: 'Availability, last hour', description: 'Share of requests not answered 5xx (objective 99.9%).', unit: 'percentunit',
            thresholds: [[0.999, 'green']],
            targets: [instant('1 - job:slo_availability_errors:ratio_rate1h{job="app"}')],
          }),
          stat({
            title: 'Availability budget left', description: 'Of the error budget over the dashboard\'s time range (0.1% of requests may fail).', unit: 'percentunit',
            thresholds: [[0, 'orange'], [0.5, 'green']],
            targets: [instant(budgetLeft(`sum(increase(http_server_request_duration_seconds_count{job="app", http_response_status_code=~"5.."}[$__range])) or vector(0)`, AVAILABILITY_BUDGET))],
          }),
          stat({
            title: 'Under 500 ms, last hour', description: 'Share of requests faster than 500 ms (objective 99%).', unit: 'percentunit',
            thresholds: [[0.99, 'green']],
            targets: [instant('1 - job:slo_latency_slow:ratio_rate1h{job="app"}')],
          }),
          stat({
            title: 'Latency budget left', description: 'Of the latency budget over the dashboard\'s time range (1% of requests may take 500 ms or more).', unit: 'percentunit',
            thresholds: [[0, 'orange'], [0.5, 'green']],
            targets: [instant(budgetLeft(`sum(increase(${REQUESTS}[$__range])) - sum(increase(http_server_request_duration_seconds_bucket{job="app", le=~"0\\\\.50*"}[$__range]))`, LATENCY_BUDGET))],
          }),
          timeSeries({
            title: 'Availability burn rate', description: 'Error ratio over each window divided by the budget. The fast-burn alert needs 1h and 5m above 14.4, the slow-burn one 6h and 30m above 6.',
            thresholds: [[6, 'orange'], [14.4, 'red']], thresholdLines: true,
            targets: burnRates('slo_availability_errors', AVAILABILITY_BUDGET),
          }),
          timeSeries({
            title: 'Latency burn rate', description: 'Share of requests over 500 ms per window divided by the 1% budget; alert thresholds as for availability.',
            thresholds: [[6, 'orange'], [14.4, 'red']], thresholdLines: true,
            targets: burnRates('slo_latency_slow', LATENCY_BUDGET),
          }),
          timeSeries({
            title: '5xx by route', description: 'Which routes spend the availability budget (recording rule).', unit: 'reqps',
            targets: [range('job_http_route:http_server_errors:rate5m{job="app"}', '{{http_route}}')],
          }),
          timeSeries({
            title: 'Requests per second', description: 'The SLIs\' denominator, per window (recording rules).', unit: 'reqps',
            targets: [range('job:slo_requests:rate5m{job="app"}', '5m'), range('job:slo_requests:rate1h{job="app"}', '1h')],
          }),
        ],
      },
      {
        title: 'Alerts',
        panels: [
          table({
            title: 'Firing alerts', description: 'Alerts Prometheus sends to Alertmanager now, with their labels; Alertmanager groups them and routes them by severity.',
            span: 12, targets: [instant('ALERTS{alertstate="firing"}')],
          }),
          timeSeries({
            title: 'Alerts pending or firing', description: 'Count by alert and state over time: pending waits out the rule\'s `for` before firing.',
            span: 12, targets: [range('count by (alertname, alertstate) (ALERTS)', '{{alertname}} {{alertstate}}')],
          }),
        ],
      },
    ],
  });
}
