import {
  DashboardBuilder, DashboardLinkBuilder, DashboardLinkType, RowBuilder,
  type Dashboard, type Panel, type QueryVariableBuilder, type RowPanel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';

const GRAFANA_12_0_SCHEMA_VERSION = 41;

/** The tag of every dashboard of the stack; the dashboards link to each other through it. */
export const STACK_TAG = 'observable-node-stack';

export interface DashboardSpec {
  /** Fixed, so that alert links (`/d/<uid>`) and bookmarks keep working. */
  uid: string;
  title: string;
  description: string;
  variables: QueryVariableBuilder[];
  /** Rows of panels, top to bottom; panels fill each row left to right by their span. */
  sections: Array<{ title: string; panels: Array<Builder<Panel>> }>;
}

/**
 * A dashboard of the stack: its variables, rows and panels, the last 30 minutes refreshed every 30 s, links to the
 * other dashboards (carrying the time range and variables), and panel ids and query refIds numbered in order.
 */
export function buildDashboard(spec: DashboardSpec): Dashboard {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([STACK_TAG])
    .time({ from: 'now-30m', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .editable()
    .link(new DashboardLinkBuilder('Dashboards').type(DashboardLinkType.Dashboards).tags([STACK_TAG]).asDropdown(true).includeVars(true).keepTime(true));
  for (const variable of spec.variables) builder.withVariable(variable);
  for (const section of spec.sections) {
    builder.withRow(new RowBuilder(section.title));
    for (const panel of section.panels) builder.withPanel(panel);
  }
  const dashboard = builder.build();
  // The SDK's default link placement (`inControlsMenu`) is newer than the pinned Grafana 12.0, which shows links only
  // without it.
  for (const link of dashboard.links ?? []) delete link.placement;
  // The SDK writes its newest schema version (42); declare the pinned Grafana 12.0's (41), which it loads as its own.
  dashboard.schemaVersion = GRAFANA_12_0_SCHEMA_VERSION;
  numberPanels(dashboard.panels ?? []);
  return dashboard;
}

function numberPanels(panels: Array<Panel | RowPanel>): void {
  let id = 0;
  for (const panel of panels) {
    panel.id = ++id;
    if (panel.type === 'row') continue;
    // Dataquery is an opaque variant type in the SDK; every query of every datasource has a refId.
    (panel as Panel).targets?.forEach((target, index) => ((target as { refId?: string }).refId = String.fromCharCode(65 + index)));
  }
}
