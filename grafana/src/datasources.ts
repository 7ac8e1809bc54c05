import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * The datasources every dashboard refers to, by the fixed uids that grafana/provisioning/datasources/ gives them.
 * test/unit/dashboards.test.ts checks that each panel's uid is one of these and that provisioning defines them.
 */
export const PROMETHEUS = { type: 'prometheus', uid: 'prometheus' } as const satisfies DataSourceRef;
export const TEMPO = { type: 'tempo', uid: 'tempo' } as const satisfies DataSourceRef;
export const LOKI = { type: 'loki', uid: 'loki' } as const satisfies DataSourceRef;
export const ALERTMANAGER = { type: 'alertmanager', uid: 'alertmanager' } as const satisfies DataSourceRef;

/** The app's series of the replicas picked in the `instance` variable. */
export const APP = 'job="app", instance=~"$instance"';
