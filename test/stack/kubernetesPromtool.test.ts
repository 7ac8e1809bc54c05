import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { setTimeout as sleep } from 'node:timers/promises';
import { NAMESPACE } from '../../deploy/src/stack.ts';
import { freePort } from '../../stack/local/freePort.ts';
import { startProcess } from '../../stack/local/startProcess.ts';

const run = promisify(execFile);

describe('the Kubernetes monitoring manifests, checked by promtool and a real Prometheus', () => {
  it('promtool accepts the rules extracted from the PrometheusRule’s spec', async (t) => {
    const objects = parseAllDocuments(await readFile('deploy/kubernetes/monitoring.yaml', 'utf8')).map((document) => document.toJS() as { kind: string; spec: { groups: Array<{ rules: unknown[] }> } });
    const rule = objects.find(({ kind }) => kind === 'PrometheusRule');
    assert.ok(rule, 'no PrometheusRule in monitoring.yaml');
    const dir = await mkdtemp(join(tmpdir(), 'prometheus-rule-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'rules.yml'), stringify(rule.spec));
    const { stdout } = await run('promtool', ['check', 'rules', join(dir, 'rules.yml')]);
    const count = rule.spec.groups.reduce((sum, group) => sum + group.rules.length, 0);
    t.diagnostic(`${rule.spec.groups.length} groups, ${count} rules`);
    assert.match(stdout, new RegExp(`SUCCESS: ${count} rules found`), stdout);
  });

  it('promtool accepts the pod-role scrape config for a Prometheus without the operator, its relabelling included', async (t) => {
    // Debian's promtool (2.42) is built without Kubernetes service discovery and rejects `kubernetes_sd_configs`
    // as an unknown field. So the SD block is checked against the fields the configuration reference documents
    // (prometheus.io/docs/prometheus/latest/configuration/configuration/#kubernetes_sd_config: `role` one of node,
    // service, pod, endpoints, endpointslice, ingress; `namespaces.names`), and promtool checks the rest of each
    // job (relabel actions, regexes, labels) with the SD block swapped for an empty static_configs.
    const config = parse(await readFile('deploy/kubernetes/prometheus-scrape-config.yml', 'utf8')) as { scrape_configs: Array<Record<string, unknown> & { kubernetes_sd_configs: Array<Record<string, unknown>> }> };
    for (const job of config.scrape_configs) {
      assert.deepEqual(job.kubernetes_sd_configs, [{ role: 'pod', namespaces: { names: [NAMESPACE] } }], String(job.job_name));
    }
    const withoutSd = { scrape_configs: config.scrape_configs.map(({ kubernetes_sd_configs: _, ...job }) => ({ ...job, static_configs: [{ targets: [] }] })) };
    const dir = await mkdtemp(join(tmpdir(), 'scrape-config-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'prometheus.yml'), stringify(withoutSd));
    const { stdout } = await run('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
    assert.match(stdout, /SUCCESS/, stdout);
  });
  it('a real Prometheus, given the targets pod-role discovery yields, keeps only the app pods’ metrics and sidecar ports, as jobs app and otel-collector', async (t) => {
    // The labels Kubernetes pod discovery attaches (configuration reference, kubernetes_sd_config, role pod), for
    // two app pods (the sidecar's port comes from an init container) and a catalog pod, fed through file_sd.
    const pod = (name: string, ip: string, app: string, ports: Record<string, number>, initPorts: Record<string, number> = {}) =>
      Object.entries({ ...ports, ...initPorts }).map(([portName, port]) => ({
        targets: [`${ip}:${port}`],
        labels: {
          __meta_kubernetes_namespace: NAMESPACE, __meta_kubernetes_pod_name: name, __meta_kubernetes_pod_label_app_kubernetes_io_name: app,
          __meta_kubernetes_pod_container_port_name: portName, __meta_kubernetes_pod_container_init: String(portName in initPorts),
        },
      }));
    const appPorts = { http: 3000, metrics: 9464 };
    const groups = [
      ...pod('app-a', '127.0.0.11', 'app', appPorts, { 'otelcol-metrics': 8888 }),
      ...pod('app-b', '127.0.0.12', 'app', appPorts, { 'otelcol-metrics': 8888 }),
      ...pod('catalog-a', '127.0.0.13', 'catalog', { http: 4000 }),
    ];
    const dir = await mkdtemp(join(tmpdir(), 'scrape-config-sd-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'pods.json'), JSON.stringify(groups));
    const config = parse(await readFile('deploy/kubernetes/prometheus-scrape-config.yml', 'utf8')) as { scrape_configs: Array<Record<string, unknown>> };
    const scrapeConfigs = config.scrape_configs.map(({ kubernetes_sd_configs: _, ...job }) => ({ ...job, scrape_interval: '1s', file_sd_configs: [{ files: [join(dir, 'pods.json')] }] }));
    await writeFile(join(dir, 'prometheus.yml'), stringify({ scrape_configs: scrapeConfigs }));
    const port = await freePort();
    const prometheus = await startProcess({
      name: 'prometheus', command: 'prometheus',
      args: [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      logFile: join(dir, 'prometheus.log'), readyUrl: `http://127.0.0.1:${port}/-/ready`,
    });
    t.after(() => prometheus.stop());
    type Targets = { activeTargets: Array<{ labels: Record<string, string> }>; droppedTargets: unknown[] };
    let targets: Targets = { activeTargets: [], droppedTargets: [] };
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && targets.activeTargets.length + targets.droppedTargets.length < 2 * groups.length; await sleep(250)) {
      targets = ((await (await fetch(`http://127.0.0.1:${port}/api/v1/targets`)).json()) as { data: Targets }).data;
    }
    const kept = targets.activeTargets.map(({ labels }) => `${labels.job} ${labels.instance} ${labels.pod} ${labels.namespace}`).sort();
    t.diagnostic(`kept ${kept.length}, dropped ${targets.droppedTargets.length}`);
    assert.deepEqual(kept, [
      `app 127.0.0.11:9464 app-a ${NAMESPACE}`, `app 127.0.0.12:9464 app-b ${NAMESPACE}`,
      `otel-collector 127.0.0.11:8888 app-a ${NAMESPACE}`, `otel-collector 127.0.0.12:8888 app-b ${NAMESPACE}`,
    ], `dropped ${targets.droppedTargets.length}`);
    // Each of the two jobs sees every discovered target and keeps its two.
    assert.equal(targets.droppedTargets.length, 2 * groups.length - 4);
  });
});
