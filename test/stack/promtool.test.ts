import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { localPrometheusConfig } from '../../stack/local/localConfigs.ts';

const run = promisify(execFile);

describe('Prometheus and Alertmanager configs, checked by their own tools', () => {
  it('promtool accepts the compose scrape config and the rule files it names', async () => {
    const { stdout } = await run('promtool', ['check', 'config', 'prometheus/prometheus.yml']);
    assert.match(stdout, /SUCCESS/);
  });

  it('promtool accepts every rule file', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', ...(await ruleFiles())]);
    assert.doesNotMatch(stdout, /FAILED/);
    assert.equal(stdout.match(/SUCCESS/g)?.length, (await ruleFiles()).length);
  });

  it('the rule unit tests pass: every alert firing, pending and held back by its guard', async () => {
    const { stdout, stderr } = await run('promtool', ['test', 'rules', 'tests/http-alerts.test.yml', 'tests/slo-alerts.test.yml', 'tests/dependency-alerts.test.yml'], { cwd: 'prometheus' });
    assert.equal((stdout + stderr).match(/SUCCESS/g)?.length, 3, stdout + stderr);
  });

  it('every alert rule has a unit test that expects it to fire', async () => {
    const tests = (await Promise.all(['http-alerts', 'slo-alerts', 'dependency-alerts'].map((name) => readFile(`prometheus/tests/${name}.test.yml`, 'utf8')))).join('\n');
    const alerts = (await Promise.all((await ruleFiles()).map((file) => readFile(file, 'utf8')))).join('\n').match(/- alert: (\w+)/g) ?? [];
    assert.ok(alerts.length >= 9);
    for (const alert of alerts.map((line) => line.slice('- alert: '.length))) {
      assert.match(tests, new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n\\s+- exp_labels`), `${alert} is never expected to fire`);
      assert.match(tests, new RegExp(`alertname: ${alert},? *\\n?\\s*exp_alerts: \\[\\]`), `${alert} is never expected to stay quiet`);
    }
  });

  it('promtool accepts the scrape config that stack:local generates from the compose one', async () => {
    const { yaml } = localPrometheusConfig(await readFile('prometheus/prometheus.yml', 'utf8'), {
      targets: { app: '127.0.0.1:1', prometheus: '127.0.0.1:2', alertmanager: '127.0.0.1:3' },
      alertmanager: '127.0.0.1:3', ruleFiles: [join(process.cwd(), 'prometheus/rules/*.yml')],
      scrapeInterval: '1s', evaluationInterval: '1s',
    });
    assert.match(await checkConfig(yaml), /SUCCESS/);
  });

  it('the commented remote_write example, uncommented into the compose config, is a valid config', async () => {
    const example = await readFile('prometheus/remote-write.example.yml', 'utf8');
    const snippet = example.split('# --- snippet ---\n')[1]!.replace(/^# ?/gm, '');
    const { global, remote_write } = parse(snippet) as { global: object; remote_write: unknown[] };
    assert.equal(remote_write.length, 2);
    const config = parse(await readFile('prometheus/prometheus.yml', 'utf8')) as { global: object; rule_files: string[] };
    const merged = { ...config, global: { ...config.global, ...global }, remote_write, rule_files: [join(process.cwd(), 'prometheus/rules/*.yml')] };
    assert.match(await checkConfig(stringify(merged)), /SUCCESS/);
  });

  it('amtool accepts the Alertmanager config', async () => {
    const { stdout } = await run('amtool', ['check-config', 'alertmanager/alertmanager.yml']);
    assert.match(stdout, /SUCCESS/);
    assert.match(stdout, /1 inhibit rules/);
  });
});

async function ruleFiles(): Promise<string[]> {
  return (await readdir('prometheus/rules')).filter((name) => name.endsWith('.yml')).map((name) => `prometheus/rules/${name}`);
}

/** `promtool check config` on a config written to a scratch directory; its output. */
async function checkConfig(yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'promtool-'));
  try {
    await writeFile(join(dir, 'prometheus.yml'), yaml);
    return (await run('promtool', ['check', 'config', join(dir, 'prometheus.yml')])).stdout;
  } finally {
    await rm(dir, { recursive: true });
  }
}
