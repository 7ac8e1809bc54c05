import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { freePort } from '../../stack/local/freePort.ts';
import { HEAP_PROBE_ARGS, heapUsedAfterGc } from '../../test/support/heapProbe.ts';
import { rssMb } from '../../test/support/processStats.ts';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchAppOptions {
  /** Names the app's database (recreated), its Redis key prefix and its user. */
  name: string;
  /** Modules the app process loads with `node --import` before dist/app/src/main.js, e.g. the telemetry entry. */
  imports: string[];
  /** Environment on top of the bench's own, the database, Redis, a free port and the URLs below. */
  env: Record<string, string>;
  catalogUrl: string;
  /** Where spans go (OTEL_EXPORTER_OTLP_ENDPOINT). */
  otlpEndpoint: string;
  /** Lets heapUsedAfterGc() ask the app for its heap after a full GC (test/support/heapProbe.ts). @default false */
  heapProbe?: boolean;
}

export interface BenchApp {
  child: ChildProcess;
  url: string;
  /** The app's own Prometheus endpoint, from telemetry's start-up line; undefined with telemetry off. */
  metricsUrl: string | undefined;
  /** From spawning the process to its first healthy /healthz. */
  startMs: number;
  /** RSS once started and seeded, before any load. */
  idleRssMb: number;
  /** The bench user's bearer token; the user has three tagged tasks and fresh recommendations cached. */
  token: string;
  /** One of the user's tasks. */
  taskId: number;
  heapUsedAfterGc(): Promise<number>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * The app as `npm start` runs it (dist/, in its own process) against its own fresh database on DATABASE_URL's
 * server, on 127.0.0.1 and free ports; resolves once it is healthy and its bench user is set up.
 */
export async function startBenchApp(options: BenchAppOptions): Promise<BenchApp> {
  const databaseUrl = await freshDatabase(`bench_${options.name}`);
  const port = await freePort();
  const started = performance.now();
  const probe = options.heapProbe === true ? HEAP_PROBE_ARGS : [];
  const child = spawn(process.execPath, [...probe, ...options.imports.flatMap((entry) => ['--import', entry]), 'dist/app/src/main.js'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `bench-${options.name}:`,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      CATALOG_URL: options.catalogUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
      OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = once(child, 'exit');
  // The heap probe answers on stderr; everything else the app writes there is passed on.
  const stderrLines: string[] = [];
  let metricsUrl: string | undefined;
  createInterface({ input: child.stderr! }).on('line', (line) => {
    const telemetryStarted = /"metricsUrl":"([^"]+)"/.exec(line)?.[1];
    if (telemetryStarted !== undefined) metricsUrl = telemetryStarted;
    else if (line.startsWith('heap-used ')) stderrLines.push(line);
    else process.stderr.write(`[${options.name}] ${line}\n`);
  });
  const url = `http://127.0.0.1:${port}`;
  while (!(await fetch(`${url}/healthz`).then((response) => response.ok, () => false))) {
    if (child.exitCode !== null) throw new Error(`${options.name}: the app exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const startMs = performance.now() - started;
  const post = (path: string, body: unknown, token?: string) =>
    fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    }).then((response) => response.json() as Promise<{ id: number; token: string }>);
  const { token } = await post('/api/users', { name: 'Bench', email: `bench-${options.name}@example.com` });
  let taskId = 0;
  for (const tag of ['jazz', 'jazz', 'rock']) taskId = (await post('/api/tasks', { title: `${tag} task`, tags: [tag] }, token)).id;
  const first = await fetch(`${url}/api/recommendations`, { headers: { authorization: `Bearer ${token}` } });
  if (!first.ok) throw new Error(`${options.name}: recommendations answered ${first.status}`);
  return {
    child,
    url,
    get metricsUrl() {
      return metricsUrl;
    },
    startMs,
    idleRssMb: rssMb(child.pid!),
    token,
    taskId,
    heapUsedAfterGc: () => heapUsedAfterGc(child, stderrLines),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
}
