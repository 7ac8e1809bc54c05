import { NAMESPACE } from './stack.ts';

/**
 * The PodMonitor's equivalent for a Prometheus without the operator: `scrape_configs` entries with pod-role
 * Kubernetes service discovery (prometheus.io/docs/prometheus/latest/configuration/configuration/#kubernetes_sd_config)
 * in the stack's namespace, keeping the app pods' container port of one name, as the same job.
 */
export function scrapeConfigs(): object[] {
  const job = (jobName: string, portName: string) => ({
    job_name: jobName,
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [NAMESPACE] } }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], regex: 'app', action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: portName, action: 'keep' },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    ],
  });
  return [job('app', 'metrics'), job('otel-collector', 'otelcol-metrics')];
}
