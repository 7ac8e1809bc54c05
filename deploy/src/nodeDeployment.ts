import { Deployment } from 'kubernetes-models/apps/v1';
import type { IEnvVar } from 'kubernetes-models/v1';
import { restrictedContainer, restrictedPod } from './podSecurity.ts';
import { IMAGES, labelsOf, selectorOf } from './stack.ts';

export interface NodeDeploymentOptions {
  /** Deployment, container and `app.kubernetes.io/name` label. */
  name: string;
  /** The script of the project image to run (e.g. dist/catalog/src/main.js). */
  script: string;
  env: IEnvVar[];
  /** The port its HTTP health path answers on (also its container port, named `http`). */
  port: number;
  healthPath: string;
}

/**
 * One replica of a helper service from the project image (the catalog stand-in, the load generator). Not measured
 * here: the compose stack's 256 MB limit, the V8 old space at 62% of it.
 */
export function nodeDeployment({ name, script, env, port, healthPath }: NodeDeploymentOptions): Deployment {
  const probe = { httpGet: { path: healthPath, port: 'http' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };
  return new Deployment({
    metadata: { name, labels: labelsOf(name) },
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorOf(name) },
      template: {
        metadata: { labels: labelsOf(name) },
        spec: {
          automountServiceAccountToken: false,
          securityContext: restrictedPod(1000),
          containers: [
            {
              name,
              image: IMAGES.app,
              command: ['node', script],
              env: [...env, { name: 'NODE_OPTIONS', value: '--max-old-space-size=160 --max-semi-space-size=8' }],
              ports: [{ name: 'http', containerPort: port }],
              readinessProbe: probe,
              livenessProbe: probe,
              resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
              securityContext: restrictedContainer(),
            },
          ],
        },
      },
    },
  });
}
