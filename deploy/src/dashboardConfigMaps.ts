import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1';
import { labelsOf, ROOT } from './stack.ts';

/** The folder the dashboards go to, through the Grafana sidecar's folderAnnotation (README "Kubernetes"). */
export const DASHBOARD_FOLDER = 'Observable Node stack';

const DASHBOARDS_DIR = join(ROOT, 'grafana', 'dashboards');

/**
 * One ConfigMap per file of grafana/dashboards/ (`npm run dashboards` writes them), labelled for the Grafana
 * chart's dashboard sidecar (`grafana_dashboard: "1"`, its default label and value), the JSON byte for byte.
 */
export function dashboardConfigMaps(): ConfigMap[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map(
      (file) =>
        new ConfigMap({
          metadata: {
            name: `dashboard-${file.replace(/\.json$/, '')}`,
            labels: { ...labelsOf('grafana-dashboards'), grafana_dashboard: '1' },
            annotations: { grafana_folder: DASHBOARD_FOLDER },
          },
          data: { [file]: readFileSync(join(DASHBOARDS_DIR, file), 'utf8') },
        }),
    );
}
