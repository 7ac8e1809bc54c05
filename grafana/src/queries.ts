import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS } from './datasources.ts';

/** A PromQL query over the dashboard's time range; `legend` is a Grafana legend format such as `{{http_route}}`. */
export function range(expr: string, legend = ''): DataqueryBuilder {
  return new DataqueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat(legend).range();
}

/** A PromQL query at the end of the time range only, for stat panels and tables. */
export function instant(expr: string, legend = ''): DataqueryBuilder {
  return new DataqueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat(legend).instant().format(PromQueryFormat.Table);
}

/** Bucket increases per time slot, which Grafana's heatmap panel draws as a latency distribution. */
export function heatmapBuckets(expr: string): DataqueryBuilder {
  return new DataqueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat('{{le}}').range().format(PromQueryFormat.Heatmap);
}

/** `q` quantile of a histogram's bucket rates summed by `by` (plus `le`). */
export function quantile(q: number, metric: string, selector: string, by: string[] = []): string {
  return `histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (rate(${metric}_bucket{${selector}}[$__rate_interval])))`;
}

/** Per-second rate of a counter summed by `by`. */
export function rateBy(metric: string, selector: string, by: string[] = []): string {
  return `sum${by.length === 0 ? '' : ` by (${by.join(', ')})`} (rate(${metric}{${selector}}[$__rate_interval]))`;
}

/**
 * Requests per second slower than 500 ms (the latency objective's bound), summed by `by`: all requests minus those in
 * the `le="0.5"` bucket, whose label Prometheus 3 may spell `0.50`.
 */
export function slowerThanHalfSecond(selector: string, by: string[]): string {
  const fast = rateBy('http_server_request_duration_seconds_bucket', `${selector}, le=~"0\\\\.50*"`, by);
  return `(${rateBy('http_server_request_duration_seconds_count', selector, by)} - ${fast})`;
}
