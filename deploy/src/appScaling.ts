import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { labelsOf, selectorOf } from './stack.ts';

/** At most one app pod down at a time for node drains and upgrades, whatever the replica count. */
export function appDisruptionBudget(): PodDisruptionBudget {
  return new PodDisruptionBudget({
    metadata: { name: 'app', labels: labelsOf('app') },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf('app') } },
  });
}

/**
 * 3 to 10 replicas on the app container's CPU (ContainerResource, GA in Kubernetes 1.30, so the sidecar's CPU
 * does not dilute it): above 70% of its 250m request, about 140 req/s per pod at the measured cost, it adds pods.
 */
export function appAutoscaler(): HorizontalPodAutoscaler {
  return new HorizontalPodAutoscaler({
    metadata: { name: 'app', labels: labelsOf('app') },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  });
}
