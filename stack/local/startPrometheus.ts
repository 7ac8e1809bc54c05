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
  /** The web UI's pages of rule states and of scrape targets, as this Prometheus serves them. */
  pages: { alerts: string; targets: string };
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
  return { ...started, url, pages: { alerts: await uiPage(url, 'alerts'), targets: await uiPage(url, 'targets') }, leftOut };
}

/**
 * A page of the web UI: `/alerts` in Prometheus 3 (and in 2.x builds with the React UI), `/classic/alerts` in
 * Debian's 2.42, which is built without the React UI and answers 404 on `/alerts`. Asked, not guessed from a version.
 */
async function uiPage(url: string, page: string): Promise<string> {
  const react = `${url}/${page}`;
  const response = await fetch(react, { signal: AbortSignal.timeout(5_000) });
  await response.body?.cancel();
  return response.ok ? react : `${url}/classic/${page}`;
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
