import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IConfigMap, IContainer } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../app/src/config.ts';
import { renderManifests } from '../../deploy/src/allManifests.ts';
import { IMAGES, NAMESPACE } from '../../deploy/src/stack.ts';
import { assertDocumentedFields, assertPipelines, type CollectorConfig } from '../support/collectorConfigCheck.ts';
import { type KubeObject, validateObject } from '../support/kubernetesModels.ts';

const run = promisify(execFile);
const DIR = 'deploy/kubernetes';

const kustomization = parse(await readFile(`${DIR}/kustomization.yaml`, 'utf8')) as { namespace: string; resources: string[] };
const committed: KubeObject[] = [];
for (const file of kustomization.resources) {
  for (const document of parseAllDocuments(await readFile(`${DIR}/${file}`, 'utf8'))) committed.push(document.toJS() as KubeObject);
}
const keyOf = (object: KubeObject) => `${object.kind}/${object.metadata.name}`;
const find = <T>(kind: string, name: string): T => {
  const object = committed.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  assert.ok(object, `no ${kind} ${name} in ${DIR}`);
  return object as unknown as T;
};
const deployments = committed.filter((object) => object.kind === 'Deployment') as unknown as IDeployment[];
const containersOf = (deployment: IDeployment): IContainer[] => [...(deployment.spec!.template.spec!.initContainers ?? []), ...deployment.spec!.template.spec!.containers];
const app = find<IDeployment>('Deployment', 'app');
const appPod = app.spec!.template.spec!;
const appContainer = appPod.containers.find((container) => container.name === 'app')!;
const sidecar = appPod.initContainers!.find((container) => container.name === 'otel-collector')!;
const appConfig = find<IConfigMap>('ConfigMap', 'app-config').data!;
const backends = find<IConfigMap>('ConfigMap', 'telemetry-backends').data!;
const sidecarConfig = parse(find<IConfigMap>('ConfigMap', 'otel-collector-sidecar').data!['config.yaml']!) as CollectorConfig;
/** Kubernetes quantity (Mi, Gi, M) → MiB. */
const mebibytes = (quantity: string): number => {
  const [, value, unit] = /^(\d+)(Mi|Gi|M)$/.exec(quantity) ?? assert.fail(`unexpected quantity ${quantity}`);
  return Number(value) * { Mi: 1, Gi: 1024, M: 1e6 / 2 ** 20 }[unit as 'Mi' | 'Gi' | 'M'];
};

describe('Kubernetes manifests (deploy/kubernetes/)', () => {
  it('are what `npm run manifests` generates from deploy/src/, file for file', async () => {
    const generated = renderManifests();
    assert.deepEqual((await readdir(DIR)).sort(), [...generated.keys()].sort(), 'files in deploy/kubernetes/');
    for (const [file, content] of generated) assert.equal(await readFile(`${DIR}/${file}`, 'utf8'), content, `${file} is stale: run npm run manifests`);
  });

  it('validate against the Kubernetes v1.36.0 OpenAPI schema (kubernetes-models 5.1.0) and the prometheus-operator v0.91.0 CRD types (@kubernetes-models/prometheus-operator 6.0.0)', (t) => {
    for (const object of committed) validateObject(object);
    t.diagnostic(`${committed.length} objects validated: ${committed.map(keyOf).join(', ')}`);
    assert.ok(committed.length >= 15, `${committed.length} objects`);
  });

  it('render with `kubectl kustomize` into the namespace, otherwise unchanged, and still validate', async (t) => {
    t.diagnostic((await run('kubectl', ['version', '--client'])).stdout.trim().replaceAll('\n', '; '));
    const { stdout } = await run('kubectl', ['kustomize', DIR], { maxBuffer: 16 * 2 ** 20 });
    const rendered = parseAllDocuments(stdout).map((document) => document.toJS() as KubeObject);
    assert.deepEqual(rendered.map(keyOf).sort(), committed.map(keyOf).sort());
    for (const object of rendered) {
      validateObject(object);
      const source = committed.find((candidate) => keyOf(candidate) === keyOf(object))!;
      assert.deepEqual(object, { ...source, metadata: { ...source.metadata, namespace: NAMESPACE } }, keyOf(object));
    }
  });

  it('pin every image to a version: the project image at package.json’s version, the collector at .env’s OTELCOL_VERSION', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const env = await readFile('.env', 'utf8');
    const images = deployments.flatMap(containersOf).map((container) => container.image!);
    for (const image of images) {
      assert.match(image, /^[\w./-]+:[\w][\w.-]*$/, `${image} has no tag`);
      assert.doesNotMatch(image, /:latest$/, image);
    }
    assert.deepEqual(new Set(images), new Set([`observable-node-stack:${version}`, `otel/opentelemetry-collector-contrib:${/^OTELCOL_VERSION=(.+)$/m.exec(env)![1]}`]));
    assert.deepEqual(new Set(images), new Set(Object.values(IMAGES)));
  });

  it('run every container as non-root, read-only root filesystem, no privilege escalation, no capabilities', () => {
    for (const deployment of deployments) {
      const pod = deployment.spec!.template.spec!;
      assert.equal(pod.securityContext?.runAsNonRoot, true, deployment.metadata!.name);
      assert.equal(pod.automountServiceAccountToken, false, deployment.metadata!.name);
      for (const container of containersOf(deployment)) {
        const name = `${deployment.metadata!.name}/${container.name}`;
        assert.equal(container.securityContext?.readOnlyRootFilesystem, true, name);
        assert.equal(container.securityContext?.allowPrivilegeEscalation, false, name);
        assert.deepEqual(container.securityContext?.capabilities?.drop, ['ALL'], name);
        assert.ok(container.resources?.requests && container.resources.limits?.memory && container.resources.limits.cpu, `${name} has requests and limits`);
      }
    }
  });

  it('give each Node container a heap of 50–70% of its memory limit and an 8 MB semi-space', () => {
    for (const deployment of deployments) {
      for (const container of containersOf(deployment).filter(({ image }) => image === IMAGES.app)) {
        const options = container.env?.find(({ name }) => name === 'NODE_OPTIONS')?.value ?? '';
        const oldSpace = Number(/--max-old-space-size=(\d+)/.exec(options)?.[1]);
        const limit = mebibytes(String(container.resources!.limits!.memory));
        assert.ok(oldSpace >= 0.5 * limit && oldSpace <= 0.7 * limit, `${container.name}: old space ${oldSpace} MiB of a ${limit} MiB limit`);
        assert.match(options, /--max-semi-space-size=8\b/, container.name);
      }
    }
  });

  it('run the app as 3 replicas behind a PodDisruptionBudget and a CPU autoscaler on the app container', () => {
    assert.equal(app.spec!.replicas, 3);
    const budget = find<IPodDisruptionBudget>('PodDisruptionBudget', 'app');
    assert.deepEqual(budget.spec!.selector?.matchLabels, app.spec!.selector.matchLabels);
    assert.equal(budget.spec!.maxUnavailable, 1);
    const autoscaler = find<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler', 'app');
    assert.deepEqual(autoscaler.spec!.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' });
    assert.equal(autoscaler.spec!.minReplicas, app.spec!.replicas);
    assert.deepEqual(autoscaler.spec!.metrics?.map((metric) => [metric.type, metric.containerResource?.name, metric.containerResource?.container]), [['ContainerResource', 'cpu', 'app']]);
    assert.ok(appContainer.resources?.requests?.cpu, 'utilization needs a CPU request');
  });

  it('probe readiness on /readyz and liveness on /healthz, the sidecar on its health_check port', () => {
    assert.deepEqual([appContainer.readinessProbe?.httpGet?.path, appContainer.readinessProbe?.httpGet?.port], ['/readyz', 'http']);
    assert.deepEqual([appContainer.livenessProbe?.httpGet?.path, appContainer.livenessProbe?.httpGet?.port], ['/healthz', 'http']);
    assert.equal(appContainer.ports?.find(({ name }) => name === 'http')?.containerPort, Number(appConfig.PORT));
    const healthPort = Number(String(sidecarConfig.extensions.health_check!.endpoint).split(':')[1]);
    for (const probe of [sidecar.startupProbe, sidecar.livenessProbe]) assert.equal(probe?.httpGet?.port, healthPort);
    assert.equal(sidecar.restartPolicy, 'Always', 'a native sidecar: starts before the app, stops after it');
  });

  it('give a terminating pod longer than the preStop pause plus the app’s SHUTDOWN_TIMEOUT_MS', () => {
    const preStop = appContainer.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const shutdown = Number(appConfig.SHUTDOWN_TIMEOUT_MS) / 1000;
    assert.ok(appPod.terminationGracePeriodSeconds! >= preStop + shutdown + 5, `grace ${appPod.terminationGracePeriodSeconds} s, preStop ${preStop} s, shutdown ${shutdown} s`);
  });

  it('set in app-config only variables the app or its OpenTelemetry SDK reads, with values the config schema accepts', async () => {
    const source = await readFile('app/src/config.ts', 'utf8');
    const readme = await readFile('README.md', 'utf8');
    for (const key of Object.keys(appConfig)) {
      assert.ok(key.startsWith('OTEL_') ? readme.includes(`\`${key}\``) : source.includes(`  ${key}: `), `${key} is read by nothing`);
    }
    const config = loadConfig({ ...appConfig, DATABASE_URL: 'postgres://app@postgresql:5432/app', ADMIN_TOKEN: 'a'.repeat(64) });
    assert.equal(config.PORT, appContainer.ports?.find(({ name }) => name === 'http')?.containerPort);
  });

  it('take DATABASE_URL and ADMIN_TOKEN from the app-secrets Secret the user creates; no Secret or token in the repository', async () => {
    assert.ok(!committed.some(({ kind }) => kind === 'Secret'));
    for (const key of ['DATABASE_URL', 'ADMIN_TOKEN']) {
      assert.deepEqual(appContainer.env?.find(({ name }) => name === key)?.valueFrom?.secretKeyRef, { name: 'app-secrets', key });
      assert.ok(!(key in appConfig), `${key} in app-config`);
    }
    for (const file of await readdir(DIR)) assert.doesNotMatch(await readFile(`${DIR}/${file}`, 'utf8'), /change-me|ADMIN_TOKEN: /, file);
  });

  it('send the app’s OTLP to the sidecar on localhost, which listens on loopback only and forwards to the backends of one ConfigMap', () => {
    const protocols = sidecarConfig.receivers.otlp!.protocols as Record<string, { endpoint: string }>;
    assert.deepEqual(protocols, { grpc: { endpoint: '127.0.0.1:4317' }, http: { endpoint: '127.0.0.1:4318' } });
    assert.equal(appConfig.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://localhost:4318');
    assert.deepEqual(sidecar.envFrom, [{ configMapRef: { name: 'telemetry-backends' } }]);
    const referenced = Object.values(sidecarConfig.exporters).map((exporter) => /^\$\{env:(\w+)\}$/.exec(String(exporter?.endpoint))?.[1]);
    assert.deepEqual(referenced.sort(), Object.keys(backends).sort());
    assert.deepEqual(Object.keys(sidecarConfig.service.pipelines).sort(), ['logs', 'traces']);
  });

  it('configure the sidecar collector with documented fields only, memory_limiter then batch, within its container limit', () => {
    assertDocumentedFields(sidecarConfig);
    assertPipelines(sidecarConfig);
    const limit = mebibytes(String(sidecar.resources!.limits!.memory));
    const limiter = sidecarConfig.processors.memory_limiter as { limit_mib: number };
    // memory_limiter README: the process uses about 50 MiB more than limit_mib.
    assert.ok(limiter.limit_mib + 50 <= limit, `limit_mib ${limiter.limit_mib}, container limit ${limit} MiB`);
    const goMemLimit = mebibytes(String(sidecar.env?.find(({ name }) => name === 'GOMEMLIMIT')?.value).replace('MiB', 'Mi'));
    assert.ok(goMemLimit > limiter.limit_mib && goMemLimit <= 0.85 * limit, `GOMEMLIMIT ${goMemLimit} MiB`);
    const readerPort = sidecarConfig.service.telemetry.metrics.readers[0]!.pull.exporter.prometheus.port;
    assert.equal(sidecar.ports?.find(({ name }) => name === 'otelcol-metrics')?.containerPort, readerPort);
  });

  it('scrape the app and sidecar ports the Deployment names, as the jobs the rules and dashboards use', async () => {
    const monitor = find<IPodMonitor>('PodMonitor', 'app');
    assert.deepEqual(monitor.spec.selector.matchLabels, app.spec!.selector.matchLabels);
    const portNames = containersOf(app).flatMap((container) => container.ports ?? []).map(({ name }) => name);
    const jobs = Object.fromEntries(monitor.spec.podMetricsEndpoints!.map((endpoint) => [endpoint.port, endpoint.relabelings?.find(({ targetLabel }) => targetLabel === 'job')?.replacement]));
    assert.deepEqual(jobs, { metrics: 'app', 'otelcol-metrics': 'otel-collector' });
    for (const port of Object.keys(jobs)) assert.ok(portNames.includes(port), port);
    const plain = parse(await readFile(`${DIR}/prometheus-scrape-config.yml`, 'utf8')) as { scrape_configs: Array<{ job_name: string; relabel_configs: Array<{ source_labels: string[]; regex?: string }> }> };
    const plainJobs = Object.fromEntries(plain.scrape_configs.map((job) => [job.relabel_configs.find(({ source_labels }) => source_labels[0] === '__meta_kubernetes_pod_container_port_name')?.regex, job.job_name]));
    assert.deepEqual(plainJobs, jobs);
    const compose = parse(await readFile('prometheus/prometheus.yml', 'utf8')) as { scrape_configs: Array<{ job_name: string }> };
    for (const job of Object.values(jobs)) assert.ok(compose.scrape_configs.some(({ job_name }) => job_name === job), `${job} is a compose job too`);
  });

  it('ship the rule groups of prometheus/rules/ in one PrometheusRule', async () => {
    const groups = (find<KubeObject>('PrometheusRule', 'app').spec as { groups: Array<{ name: string }> }).groups.map(({ name }) => name);
    const files = (await readdir('prometheus/rules')).filter((file) => file.endsWith('.yml')).sort();
    const expected = (await Promise.all(files.map(async (file) => (parse(await readFile(`prometheus/rules/${file}`, 'utf8')) as { groups: Array<{ name: string }> }).groups.map(({ name }) => name)))).flat();
    assert.deepEqual(groups, expected);
  });

  it('ship each dashboard as a ConfigMap labelled grafana_dashboard "1", well under 1 MiB even with kubectl’s last-applied copy, and document their datasource uids', async () => {
    const files = (await readdir('grafana/dashboards')).filter((file) => file.endsWith('.json')).sort();
    const configMaps = committed.filter((object) => object.metadata.labels?.grafana_dashboard === '1') as unknown as IConfigMap[];
    assert.deepEqual(configMaps.map((configMap) => Object.keys(configMap.data!)[0]).sort(), files);
    const readme = await readFile('README.md', 'utf8');
    const uids = new Set<string>();
    for (const configMap of configMaps) {
      const [file, json] = Object.entries(configMap.data!)[0]!;
      assert.equal(json, await readFile(`grafana/dashboards/${file}`, 'utf8'), file);
      // Client-side apply keeps a second copy in the last-applied-configuration annotation.
      const bytes = 2 * Buffer.byteLength(JSON.stringify(configMap));
      assert.ok(bytes < 2 ** 20, `${file}: ${bytes} bytes`);
      for (const [, uid] of json.matchAll(/"datasource":\s*\{[^}]*?"uid":\s*"([^"$]+)"/g)) uids.add(uid!);
    }
    assert.ok(uids.size > 0);
    const section = readme.slice(readme.indexOf('## Kubernetes'));
    for (const uid of uids) assert.match(section, new RegExp(`uid: ${uid}\\b`), `README "Kubernetes" names datasource uid ${uid}`);
  });
});

