import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { NAMESPACE } from '../../deploy/src/stack.ts';

const run = promisify(execFile);

describe('the Kubernetes monitoring manifests, checked by promtool', () => {
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
});
