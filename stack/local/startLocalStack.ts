import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoad, type LoadOptions, type RunningLoad } from '../loadgen/startLoad.ts';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../webhook/startWebhookReceiver.ts';
import { freePort } from './freePort.ts';
import { startAlertmanager } from './startAlertmanager.ts';
import { startPrometheus } from './startPrometheus.ts';
import { startProcess, type StartedProcess } from './startProcess.ts';
import { PROJECT_ROOT } from './projectRoot.ts';

export interface LocalStackOptions {
  /** PostgreSQL server and database of the app. @default process.env.DATABASE_URL, else the machine's local one */
  databaseUrl?: string;
  /** @default process.env.REDIS_URL, else redis://127.0.0.1:6379 */
  redisUrl?: string;
  /** Prometheus scrape interval. @default '15s' as in the compose stack */
  scrapeInterval?: string;
  /** Prometheus rule evaluation interval. @default '15s' as in the compose stack */
  evaluationInterval?: string;
  /** Replaces the `for` of every alert rule (in a copy of the rule files), e.g. '5s' in tests. @default as written */
  alertFor?: string;
  /** Replaces Alertmanager's group_wait and group_interval, e.g. '1s' in tests. @default as written */
  alertmanagerGroupWait?: string;
  /** The load generator's options, or false for no load. @default { rate: 10 } */
  load?: false | Omit<LoadOptions, 'targetUrl'>;
  /** Extra environment of the app, e.g. `{ CACHE_TTL_SECONDS: '1' }` (10 unless given, as in the compose stack). */
  appEnv?: Record<string, string>;
  /** Extra environment of the catalog stand-in, e.g. `{ CATALOG_LATENCY_MS: '50' }`. */
  catalogEnv?: Record<string, string>;
  /** Progress lines. @default no output */
  log?: (line: string) => void;
  /** Each alert the webhook receiver gets, as a JSON line. @default no output */
  alertLog?: (line: string) => void;
}

export interface LocalStack {
  appUrl: string;
  /** The app's Prometheus endpoint, e.g. `http://127.0.0.1:40123/metrics`. */
  metricsUrl: string;
  catalogUrl: string;
  prometheusUrl: string;
  /** Prometheus's rule states and scrape targets pages, at the paths the running version serves them. */
  prometheusPages: { alerts: string; targets: string };
  alertmanagerUrl: string;
  webhookUrl: string;
  /** The admin token the app was started with. */
  adminToken: string;
  webhook: RunningWebhookReceiver;
  /** Undefined when started with `load: false`. */
  load: RunningLoad | undefined;
  /** Scrape jobs of the compose config with nothing local to scrape (exporters, collector, Tempo). */
  leftOutJobs: string[];
  /** Where configs, data and each process's log are. Removed by stop(). */
  workDir: string;
  /** Stops everything, newest first, and removes the work directory. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Without Docker, the part of the compose stack that runs on this machine: the catalog stand-in, the built app with
 * its telemetry, Prometheus and Alertmanager (Debian's binaries) with the project's rules and a scrape config
 * generated from prometheus/prometheus.yml, the webhook receiver and the load generator, each on a free port.
 * Needs `npm run build` first. Example: `const stack = await startLocalStack({ log: console.log }); …; await stack.stop();`
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const workDir = await mkdtemp(join(tmpdir(), 'local-stack-'));
  const processes: StartedProcess[] = [];
  let webhook: RunningWebhookReceiver | undefined;
  let load: RunningLoad | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await load?.stop();
      for (const started of processes.reverse()) await started.stop();
      await webhook?.stop();
      await rm(workDir, { recursive: true, force: true });
    })());

  try {
    const [catalogPort, appPort, metricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const url = (port: number | undefined): string => `http://127.0.0.1:${port}`;
    const adminToken = `local-admin-${randomBytes(12).toString('hex')}`;

    webhook = await startWebhookReceiver({ log: options.alertLog ?? (() => {}) });
    log(`webhook receiver on ${webhook.url}`);

    processes.push(await startProcess({
      name: 'catalog', command: process.execPath, args: [join(PROJECT_ROOT, 'dist/catalog/src/main.js')],
      env: { CATALOG_PORT: String(catalogPort), CATALOG_HOST: '127.0.0.1', ...options.catalogEnv },
      logFile: join(workDir, 'catalog.log'), readyUrl: `${url(catalogPort)}/healthz`,
    }));
    log(`catalog on ${url(catalogPort)}`);

    processes.push(await startProcess({
      name: 'app', command: process.execPath, args: await npmStartArgs(), cwd: PROJECT_ROOT,
      env: {
        PORT: String(appPort), HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort), OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        DATABASE_URL: options.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        REDIS_URL: options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: `local:${randomBytes(4).toString('hex')}:`,
        CATALOG_URL: url(catalogPort), ADMIN_TOKEN: adminToken, PROFILE_DIR: join(workDir, 'profiles'),
        OTEL_SERVICE_NAME: 'app', OTEL_TRACES_EXPORTER: 'none',
        // As in docker-compose.yml: short, so that the load keeps reaching the catalog.
        CACHE_TTL_SECONDS: '10', ...options.appEnv,
      },
      logFile: join(workDir, 'app.log'), readyUrl: `${url(appPort)}/readyz`,
    }));
    log(`app on ${url(appPort)}, metrics on ${url(metricsPort)}/metrics`);

    const alertmanager = await startAlertmanager({
      workDir, webhookUrl: webhook.url,
      ...(options.alertmanagerGroupWait === undefined ? {} : { groupWait: options.alertmanagerGroupWait }),
    });
    processes.push(alertmanager);
    log(`alertmanager on ${alertmanager.url}`);

    const prometheus = await startPrometheus({
      workDir, targets: { app: `127.0.0.1:${metricsPort}`, alertmanager: alertmanager.address }, alertmanager: alertmanager.address,
      scrapeInterval: options.scrapeInterval ?? '15s', evaluationInterval: options.evaluationInterval ?? '15s',
      ...(options.alertFor === undefined ? {} : { alertFor: options.alertFor }),
    });
    processes.push(prometheus);
    log(`prometheus on ${prometheus.url} (not scraped locally: ${prometheus.leftOut.join(', ')})`);

    if (options.load !== false) {
      load = await startLoad({ targetUrl: url(appPort), ...(options.load ?? { rate: 10 }) });
      log('load generator running');
    }
    return {
      appUrl: url(appPort), metricsUrl: `${url(metricsPort)}/metrics`, catalogUrl: url(catalogPort),
      prometheusUrl: prometheus.url, prometheusPages: prometheus.pages, alertmanagerUrl: alertmanager.url, webhookUrl: webhook.url,
      adminToken, webhook, load, leftOutJobs: prometheus.leftOut, workDir, stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The app is started exactly as `npm start` starts it (telemetry `--import`ed first), minus npm itself. */
async function npmStartArgs(): Promise<string[]> {
  const { scripts } = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = scripts.start.split(/\s+/);
  if (command !== 'node') throw new Error(`npm start runs "${command}", not node: ${scripts.start}`);
  return args;
}
