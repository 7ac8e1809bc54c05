import { DataqueryBuilder, SearchTableType, TempoQueryType } from '@grafana/grafana-foundation-sdk/tempo';
import { TEMPO } from './datasources.ts';

/** A TraceQL search in Tempo, e.g. `{ span.http.route = "/api/tasks" && duration > 500ms }`; a click opens the trace. */
export function traceSearch(traceql: string, limit = 20): DataqueryBuilder {
  return new DataqueryBuilder().datasource(TEMPO).queryType(TempoQueryType.Traceql).query(traceql).limit(limit).tableType(SearchTableType.Traces);
}
