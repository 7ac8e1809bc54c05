import { DataqueryBuilder, LokiQueryDirection, QueryEditorMode } from '@grafana/grafana-foundation-sdk/loki';
import { LOKI } from './datasources.ts';

/**
 * The app's log lines in Loki: its OTLP resource attribute `service.name` is the index label `service_name`; record
 * attributes such as `http.route` and the trace context (`trace_id`) are structured metadata, filtered after the
 * selector (`| http_route="…"`). See loki/loki.yaml.
 */
export const APP_LOGS = '{service_name="app"}';

/** A LogQL log query (lines, newest first), e.g. `{service_name="app"} | http_route="/api/tasks"`. */
export function logQuery(logql: string, maxLines = 200): DataqueryBuilder {
  return new DataqueryBuilder().datasource(LOKI).expr(logql).editorMode(QueryEditorMode.Code).direction(LokiQueryDirection.Backward).maxLines(maxLines);
}
