import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { dependencies } from './dependencies.ts';
import { endpointDrilldown } from './endpointDrilldown.ts';
import { runtimeHost } from './runtimeHost.ts';
import { serviceOverview } from './serviceOverview.ts';
import { sloAlerts } from './sloAlerts.ts';

/** Every dashboard of the stack, built; each is written to grafana/dashboards/<uid>.json. */
export function allDashboards(): Dashboard[] {
  return [serviceOverview(), endpointDrilldown(), dependencies(), runtimeHost(), sloAlerts()];
}

/** The committed JSON of a dashboard: two-space indented, newline at the end. */
export function dashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
