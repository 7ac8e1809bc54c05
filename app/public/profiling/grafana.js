// Links from the page into Grafana: a slow request's trace in Explore on the Tempo datasource (uid `tempo`, see
// grafana/provisioning/datasources/datasources.yml).

const HOUR_MS = 3_600_000;

/**
 * Explore's URL state as Grafana 12.0 parses it (schemaVersion 1): `panes` is the JSON of {paneId: {datasource,
 * queries, range}}, a pane id being three characters with a letter, and `range` strings such as epoch
 * milliseconds (grafana/grafana public/app/features/explore/hooks/useStateSync/migrators/v1.ts). A TraceQL query
 * that is a trace id opens that trace. The range is the hour around the request, so Tempo is searched there.
 */
export function exploreTraceUrl(grafanaUrl, traceId, timestamp) {
  const at = Date.parse(timestamp);
  const pane = {
    datasource: 'tempo',
    queries: [{ refId: 'A', datasource: { type: 'tempo', uid: 'tempo' }, queryType: 'traceql', query: traceId }],
    range: { from: String(at - HOUR_MS / 2), to: String(at + HOUR_MS / 2) },
  };
  const params = new URLSearchParams({ schemaVersion: '1', panes: JSON.stringify({ trc: pane }), orgId: '1' });
  return `${grafanaUrl.replace(/\/+$/, '')}/explore?${params}`;
}
