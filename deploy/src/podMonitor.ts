import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { labelsOf, selectorOf } from './stack.ts';

/**
 * For the Prometheus Operator: every app pod, its :9464 (`metrics`) and its sidecar collector's :8888. The job
 * label is set to what the rules, dashboards and alerts of the compose stack expect (`app`, `otel-collector`),
 * instead of the operator's `<namespace>/<name>`; each pod IP:port is its own `instance`.
 */
export function podMonitor(): PodMonitor {
  const endpoint = (port: string, job: string) => ({
    port,
    path: '/metrics',
    interval: '15s',
    relabelings: [{ action: 'replace' as const, targetLabel: 'job', replacement: job }],
  });
  return new PodMonitor({
    metadata: { name: 'app', labels: labelsOf('app') },
    spec: {
      selector: { matchLabels: selectorOf('app') },
      podMetricsEndpoints: [endpoint('metrics', 'app'), endpoint('otelcol-metrics', 'otel-collector')],
    },
  });
}
