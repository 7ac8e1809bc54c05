import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './freePort.ts';
import { localAlertmanagerConfig } from './localConfigs.ts';
import { startProcess, type StartedProcess } from './startProcess.ts';
import { PROJECT_ROOT } from './projectRoot.ts';

export interface LocalAlertmanagerOptions {
  /** Config, data and log go here. */
  workDir: string;
  /** Base URL of the webhook receiver that alertmanager/alertmanager.yml's webhooks are pointed at. */
  webhookUrl: string;
  /** Replaces group_wait and group_interval, e.g. '1s' in tests. @default as written */
  groupWait?: string;
}

export interface RunningAlertmanager extends StartedProcess {
  url: string;
  /** host:port, as Prometheus's alerting config wants it. */
  address: string;
}

/** Debian's Alertmanager on a free port with the project's alertmanager.yml, clustering off. */
export async function startAlertmanager(options: LocalAlertmanagerOptions): Promise<RunningAlertmanager> {
  const port = await freePort();
  const configFile = join(options.workDir, 'alertmanager.yml');
  await writeFile(configFile, localAlertmanagerConfig(
    await readFile(join(PROJECT_ROOT, 'alertmanager/alertmanager.yml'), 'utf8'),
    { webhookUrl: options.webhookUrl, ...(options.groupWait === undefined ? {} : { groupWait: options.groupWait }) },
  ));
  const url = `http://127.0.0.1:${port}`;
  const started = await startProcess({
    name: 'alertmanager', command: 'prometheus-alertmanager',
    args: [
      `--config.file=${configFile}`, `--storage.path=${join(options.workDir, 'alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=',
    ],
    logFile: join(options.workDir, 'alertmanager.log'), readyUrl: `${url}/-/ready`,
  });
  return { ...started, url, address: `127.0.0.1:${port}` };
}
