import { createHash } from 'node:crypto';
import { Deployment } from 'kubernetes-models/apps/v1';
import type { ConfigMap } from 'kubernetes-models/v1';
import { COLLECTOR_CONFIG_FILE } from './appConfigMaps.ts';
import { restrictedContainer, restrictedPod } from './podSecurity.ts';
import { IMAGES, labelsOf, selectorOf } from './stack.ts';

/** The Secret the user creates (README "Kubernetes"); nothing in the repository holds its values. */
export const APP_SECRET = 'app-secrets';
/** Seconds the pod waits after SIGTERM is due before the app gets it, so Services stop sending it traffic first. */
export const PRE_STOP_SLEEP_SECONDS = 5;

/**
 * The app: 3 replicas, each pod the app container and the collector as a native sidecar (an init container with
 * restartPolicy Always, Kubernetes 1.29+), so the collector starts before the app and stops after it, and the
 * spans the app flushes on SIGTERM still reach it.
 *
 * Resources, measured here (app built, telemetry on as `npm start`, --max-semi-space-size=8, 10% of traces to an
 * OTLP sink, autocannon 30 s with 10 connections over task list, recommendations and task creation against local
 * PostgreSQL and Redis, load average 3.4 on a shared 2-core machine): 597 req/s, RSS 128 MB idle and 265 MB at the
 * peak, 0.75 cores. Memory request = limit 384 MiB (the peak plus 45%, as the compose stack's mem_limit); the V8
 * old space at 256 MiB (67% of it) so that V8 collects before the kernel kills. CPU request 250m (about a third of
 * what 600 req/s took, the HPA's unit), limit 1 core.
 * The collector: not measurable here (no collector runs on this machine); its limit is 192 MiB with memory_limiter
 * at 120 MiB (its README: the process uses about 50 MiB more) and GOMEMLIMIT at about 80% of the limit, as the
 * compose stack's collector has for its 256 MiB.
 */
export function appDeployment(configMaps: ConfigMap[]): Deployment {
  return new Deployment({
    metadata: { name: 'app', labels: labelsOf('app') },
    spec: {
      replicas: 3,
      selector: { matchLabels: selectorOf('app') },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: labelsOf('app'),
          // A changed ConfigMap changes this, so `kubectl apply -k` rolls the pods onto it.
          annotations: { 'observable-node-stack/config-sha256': configHash(configMaps) },
        },
        spec: {
          automountServiceAccountToken: false,
          securityContext: restrictedPod(1000),
          // SHUTDOWN_TIMEOUT_MS (10 s) + the preStop pause (5 s) + the span flush, with room to spare.
          terminationGracePeriodSeconds: 30,
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selectorOf('app') } }],
          initContainers: [
            {
              name: 'otel-collector',
              image: IMAGES.collector,
              restartPolicy: 'Always',
              args: [`--config=/etc/otelcol-contrib/${COLLECTOR_CONFIG_FILE}`],
              envFrom: [{ configMapRef: { name: 'telemetry-backends' } }],
              env: [{ name: 'GOMEMLIMIT', value: '150MiB' }],
              ports: [{ name: 'otelcol-metrics', containerPort: 8888 }],
              // The health_check extension: the image has no shell, the kubelet's HTTP probe needs none.
              startupProbe: { httpGet: { path: '/', port: 13133 }, periodSeconds: 1, failureThreshold: 30 },
              livenessProbe: { httpGet: { path: '/', port: 13133 }, periodSeconds: 10, failureThreshold: 3 },
              resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '500m', memory: '192Mi' } },
              // The image's user (uid 10001), not the app's.
              securityContext: restrictedContainer(10001),
              volumeMounts: [{ name: 'collector-config', mountPath: '/etc/otelcol-contrib', readOnly: true }],
            },
          ],
          containers: [
            {
              name: 'app',
              image: IMAGES.app,
              envFrom: [{ configMapRef: { name: 'app-config' } }],
              env: [
                { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: APP_SECRET, key: 'DATABASE_URL' } } },
                { name: 'ADMIN_TOKEN', valueFrom: { secretKeyRef: { name: APP_SECRET, key: 'ADMIN_TOKEN' } } },
                // Tied to the memory limit below (67% of 384 MiB); small young generation as measured.
                { name: 'NODE_OPTIONS', value: '--max-old-space-size=256 --max-semi-space-size=8' },
              ],
              ports: [
                { name: 'http', containerPort: 3000 },
                { name: 'metrics', containerPort: 9464 },
              ],
              // Migrations run at start: up to a minute before liveness applies.
              startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2, failureThreshold: 30 },
              // /readyz is 503 only when PostgreSQL does not answer (Redis down is 200, the cache degraded).
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
              lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } } },
              resources: { requests: { cpu: '250m', memory: '384Mi' }, limits: { cpu: '1', memory: '384Mi' } },
              securityContext: restrictedContainer(),
              // PROFILE_DIR (profiles, under the image's /srv) and Node's compile cache (/tmp/node-compile-cache, kept
              // across restarts of the container in this pod) are the only places the app writes.
              volumeMounts: [
                { name: 'profiles', mountPath: '/srv/profiles' },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'profiles', emptyDir: { sizeLimit: '256Mi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
            { name: 'collector-config', configMap: { name: 'otel-collector-sidecar' } },
          ],
        },
      },
    },
  });
}

function configHash(configMaps: ConfigMap[]): string {
  const hash = createHash('sha256');
  for (const configMap of configMaps) hash.update(JSON.stringify([configMap.metadata?.name, configMap.data]));
  return hash.digest('hex');
}
