import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './freePort.ts';
import { localPrometheusConfig, withAlertFor, type LocalTargets } from './localConfigs.ts';
import { startProcess, type StartedProcess } from './startProcess.ts';
import { PROJECT_ROOT } from './projectRoot.ts';

export interface LocalPrometheusOptions {
  /** Config, data, rule copies and log go here. */
  workDir: string;
  /** Local address of each scrape job that runs here, besides Prometheus itself. */
  targets: LocalTargets;
  /** host:port of Alertmanager. */
  alertmanager: string;
  scrapeInterval: string;
  evaluationInterval: string;
  /** Replaces the `for` of every alert, in copies of the rule files. @default as written */
  alertFor?: string;
}

export interface RunningPrometheus extends StartedProcess {
  url: string;
  /** Jobs of prometheus/prometheus.yml with nothing local to scrape. */
  leftOut: string[];
}

/** Debian's Prometheus on a free port, with the project's rules and a scrape config generated from the compose one. */
export async function startPrometheus(options: LocalPrometheusOptions): Promise<RunningPrometheus> {
  const port = await freePort();
  const { yaml, leftOut } = localPrometheusConfig(await readFile(join(PROJECT_ROOT, 'prometheus/prometheus.yml'), 'utf8'), {
    targets: { ...options.targets, prometheus: `127.0.0.1:${port}` },
    alertmanager: options.alertmanager,
    ruleFiles: await ruleFiles(options.workDir, options.alertFor),
    scrapeInterval: options.scrapeInterval,
    evaluationInterval: options.evaluationInterval,
  });
  const configFile = join(options.workDir, 'prometheus.yml');
  await writeFile(configFile, yaml);
  const url = `http://127.0.0.1:${port}`;
  const started = await startProcess({
    name: 'prometheus', command: 'prometheus',
    args: [`--config.file=${configFile}`, `--storage.tsdb.path=${join(options.workDir, 'prometheus-data')}`, `--web.listen-address=127.0.0.1:${port}`,
      // As in docker-compose.yml: the app's exemplars are kept and served by /api/v1/query_exemplars.
      '--enable-feature=exemplar-storage'],
    logFile: join(options.workDir, 'prometheus.log'), readyUrl: `${url}/-/ready`,
  });
  return { ...started, url, leftOut };
}

/** The project's rule files, or copies of them with every alert's `for` replaced. */
async function ruleFiles(workDir: string, alertFor: string | undefined): Promise<string[]> {
  const rulesDir = join(PROJECT_ROOT, 'prometheus/rules');
  if (alertFor === undefined) return [join(rulesDir, '*.yml')];
  const copyDir = join(workDir, 'rules');
  await mkdir(copyDir);
  for (const name of (await readdir(rulesDir)).filter((file) => file.endsWith('.yml'))) {
    await writeFile(join(copyDir, name), withAlertFor(await readFile(join(rulesDir, name), 'utf8'), alertFor));
  }
  return [join(copyDir, '*.yml')];
}
