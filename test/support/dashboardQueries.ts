import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';

/** One query of one panel, with where it comes from. */
export interface PanelQuery {
  dashboard: string;
  panel: string;
  panelId: number | undefined;
  datasourceUid: string | undefined;
  /** PromQL for Prometheus targets, TraceQL for Tempo ones. */
  expr: string;
  instant: boolean;
}

/** Every panel of a dashboard, those inside collapsed rows too, without the rows themselves. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).flatMap((panel: Panel | RowPanel) =>
    panel.type === 'row' ? ((panel as RowPanel).panels ?? []) : [panel as Panel]);
}

/** Every query of every panel of the dashboards. */
export function panelQueries(dashboards: Dashboard[]): PanelQuery[] {
  return dashboards.flatMap((dashboard) => panelsOf(dashboard).flatMap((panel) => (panel.targets ?? []).map((target) => {
    const query = target as { datasource?: { uid?: string }; expr?: string; query?: string; instant?: boolean };
    return {
      dashboard: dashboard.uid ?? '', panel: panel.title ?? '', panelId: panel.id,
      datasourceUid: query.datasource?.uid ?? panel.datasource?.uid,
      expr: query.expr ?? query.query ?? '', instant: query.instant === true,
    };
  })));
}

/**
 * A query with Grafana's variables replaced as Grafana does it: `$name` and `${name}` by the given values, in the
 * order longest name first so that `$__range` is not mistaken for `$__rate_interval`'s prefix or vice versa.
 */
export function fillVariables(expr: string, values: Record<string, string>): string {
  const names = Object.keys(values).toSorted((a, b) => b.length - a.length);
  let filled = expr;
  for (const name of names) filled = filled.replaceAll(`\${${name}}`, values[name]!).replaceAll(`$${name}`, values[name]!);
  return filled;
}
