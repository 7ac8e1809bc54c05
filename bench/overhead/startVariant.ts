import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { rssMb } from '../../test/support/processStats.ts';
import type { Variant } from './variants.ts';
import type { BenchFixture } from './workloads.ts';

export interface StartedVariant extends BenchFixture {
  variant: Variant;
  child: ChildProcess;
  url: string;
  /** The app's Prometheus endpoint, when it has one of its own (telemetry on). */
  metricsUrl: string | undefined;
  /** From spawn to the first answer of /healthz. */
  startMs: number;
  /** RSS once started and seeded, before any load. */
  idleRssMb: number;
}

export interface VariantEnvironment {
  serverUrl: string;
  redisUrl: string;
  catalogUrl: string;
  otlpEndpoint: string;
}

/** Starts one variant of the app (dist/, as `npm start` does) on its own database, and seeds its two users. */
export async function startVariant(variant: Variant, environment: VariantEnvironment): Promise<StartedVariant> {
  const databaseUrl = await freshDatabase(environment.serverUrl, `bench_overhead_${variant.key}`);
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...variant.imports.flatMap((entry) => ['--import', entry]), 'dist/app/src/main.js'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: environment.redisUrl,
      REDIS_KEY_PREFIX: `bench-overhead-${variant.key}:`,
      PORT: String(port),
      HOST: '127.0.0.1',
      // As shipped: one request line per request, on stdout and by OTLP (log export is part of the cost).
      LOG_LEVEL: 'info',
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      CATALOG_URL: environment.catalogUrl,
      CACHE_TTL_SECONDS: '3600',
      OTEL_EXPORTER_OTLP_ENDPOINT: environment.otlpEndpoint,
      OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      ...variant.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let metricsUrl: string | undefined;
  createInterface({ input: child.stderr! }).on('line', (line) => {
    const url = /"metricsUrl":"([^"]+)"/.exec(line)?.[1];
    if (url !== undefined) metricsUrl = url;
    else process.stderr.write(`(${variant.key}) ${line}\n`);
  });
  const url = `http://127.0.0.1:${port}`;
  while (!(await fetch(`${url}/healthz`).then((response) => response.ok, () => false))) {
    if (child.exitCode !== null) throw new Error(`(${variant.key}) exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const startMs = performance.now() - started;
  const post = (path: string, body: unknown, token?: string) =>
    fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    }).then((response) => response.json() as Promise<{ id: number; token: string }>);
  const { token: mixedToken } = await post('/api/users', { name: 'Bench', email: `bench-${variant.key}@example.com` });
  let taskId = 0;
  for (const tag of ['jazz', 'jazz', 'rock']) taskId = (await post('/api/tasks', { title: `${tag} task`, tags: [tag] }, mixedToken)).id;
  const first = await fetch(`${url}/api/recommendations`, { headers: { authorization: `Bearer ${mixedToken}` } });
  if (!first.ok) throw new Error(`(${variant.key}) recommendations answered ${first.status}`);
  const { token: listToken } = await post('/api/users', { name: 'Lister', email: `list-${variant.key}@example.com` });
  for (let n = 0; n < 30; n++) await post('/api/tasks', { title: `task ${n}`, tags: n % 2 === 0 ? ['jazz'] : [] }, listToken);
  return { variant, child, url, metricsUrl, startMs, idleRssMb: rssMb(child.pid!), mixedToken, taskId, listToken };
}

/** Median time of `count` scrapes of the app's own `/metrics` (after load, so every series exists). */
export async function scrapeMs(app: StartedVariant, count = 21): Promise<number | undefined> {
  const target = app.metricsUrl ?? (app.variant.key === 'c' ? `${app.url}/metrics` : undefined);
  if (target === undefined) return undefined;
  const times: number[] = [];
  for (let n = 0; n < count; n++) {
    const start = performance.now();
    await (await fetch(target)).text();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(count / 2)];
}

async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}
