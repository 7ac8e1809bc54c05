import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1';
import { labelsOf, ROOT } from './stack.ts';

/** The sidecar collector's config file, as written (with its comments), mounted at this path. */
export const COLLECTOR_CONFIG_FILE = 'config.yaml';

/**
 * The app's configuration (app/src/config.ts reads each variable; README "Configuration"). DATABASE_URL and
 * ADMIN_TOKEN are not here: they come from the `app-secrets` Secret the user creates. REDIS_URL names the master
 * Service of the Redis chart the README installs.
 */
export function appConfig(): ConfigMap {
  return new ConfigMap({
    metadata: { name: 'app-config', labels: labelsOf('app') },
    data: {
      NODE_ENV: 'production',
      PORT: '3000',
      HOST: '0.0.0.0',
      REDIS_URL: 'redis://redis-master.redis.svc.cluster.local:6379',
      CATALOG_URL: 'http://catalog:4000',
      LOG_LEVEL: 'info',
      // The Deployment's terminationGracePeriodSeconds is longer than this plus the preStop pause.
      SHUTDOWN_TIMEOUT_MS: '10000',
      // Replicas start together; the advisory lock lets one apply the migrations while the others wait.
      MIGRATE_ON_START: 'true',
      OTEL_SERVICE_NAME: 'app',
      // The collector sidecar in the same pod.
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
      OTEL_EXPORTER_PROMETHEUS_PORT: '9464',
    },
  });
}

/** The shared trace and log backends every sidecar forwards to: the one place to point them elsewhere. */
export function telemetryBackends(): ConfigMap {
  return new ConfigMap({
    metadata: { name: 'telemetry-backends', labels: labelsOf('otel-collector') },
    data: {
      // grafana/tempo chart, release "tempo" in namespace "tempo": OTLP gRPC on the `tempo` Service.
      TEMPO_OTLP_ENDPOINT: 'tempo.tempo.svc.cluster.local:4317',
      // grafana/loki chart, release "loki" in namespace "loki": Loki's OTLP endpoint behind its gateway.
      LOKI_OTLP_ENDPOINT: 'http://loki-gateway.loki.svc.cluster.local/otlp',
    },
  });
}

/** deploy/collector-sidecar.yaml, verbatim. */
export function collectorSidecarConfig(): ConfigMap {
  return new ConfigMap({
    metadata: { name: 'otel-collector-sidecar', labels: labelsOf('otel-collector') },
    data: { [COLLECTOR_CONFIG_FILE]: readFileSync(join(ROOT, 'deploy', 'collector-sidecar.yaml'), 'utf8') },
  });
}
