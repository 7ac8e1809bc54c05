// What telemetry costs the app: one fixed workload (task list, task detail, create, recommendations from the cache)
// driven by autocannon against four copies of the app, each in its own process with its own database, measured side
// by side in alternating rounds (the order rotates each round, so drift on a shared machine spreads over all four):
// (a) telemetry off, (b) telemetry as shipped, (c) prom-client + express-prom-bundle, (d) telemetry with every trace
// sampled. Spans go to a local OTLP sink that answers 200, so export costs what it costs. Then the load cost of
// auto-instrumentations-node against the individual instrumentation packages.
// Usage: npm run bench:overhead   (builds first; DATABASE_URL / REDIS_URL name the servers; BENCH_ROUNDS,
// BENCH_DURATION_S, BENCH_CONNECTIONS, BENCH_LOAD_SAMPLES change the run's length)
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import pg from 'pg';
import { startCatalog } from '../../catalog/src/startCatalog.ts';
import { startOtlpReceiver } from '../../test/support/otlpReceiver.ts';
import { cpuMs, rssMb } from '../../test/support/processStats.ts';
import { measureLoadCost, median } from './loadCost.ts';
import { VARIANTS, type Variant } from './variants.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const LOAD_SAMPLES = Number(process.env.BENCH_LOAD_SAMPLES ?? 5);
const WARMUP_S = 3;
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const progress = (message: string) => process.stderr.write(`[bench:overhead] ${message}\n`);

interface RunningVariant {
  variant: Variant;
  child: ChildProcess;
  url: string;
  startMs: number;
  /** RSS once started and seeded, before any load. */
  idleRssMb: number;
  token: string;
  taskId: number;
  samples: { rps: number; p50: number; p99: number; cpuMsPerRequest: number; rssMb: number }[];
}

const catalog = await startCatalog({ itemCount: 2000 });
const sink = await startOtlpReceiver({ record: false });
const running: RunningVariant[] = [];
// Whatever happens to the bench, the apps it started do not outlive it.
process.on('exit', () => {
  for (const app of running) app.child.kill('SIGKILL');
});
for (const variant of VARIANTS) {
  progress(`starting (${variant.key}) ${variant.label}`);
  running.push(await startVariant(variant));
}
for (const app of running) {
  progress(`warming up (${app.variant.key}) for ${WARMUP_S} s`);
  await drive(app, WARMUP_S);
}
for (let round = 0; round < ROUNDS; round++) {
  const order = running.map((_, index) => running[(index + round) % running.length]!);
  progress(`round ${round + 1}/${ROUNDS}: ${order.map((app) => app.variant.key).join(' ')}, ${DURATION_S} s each`);
  for (const app of order) {
    const cpuBefore = cpuMs(app.child.pid!);
    const result = await drive(app, DURATION_S);
    const cpu = cpuMs(app.child.pid!) - cpuBefore;
    app.samples.push({
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      cpuMsPerRequest: cpu / result.requests.total,
      rssMb: rssMb(app.child.pid!),
    });
  }
}
for (const app of running) {
  app.child.kill('SIGTERM');
  await once(app.child, 'exit');
}
await sink.stop();
await catalog.stop();

progress(`load cost of the instrumentations: ${LOAD_SAMPLES} fresh processes per mode`);
const load = measureLoadCost(LOAD_SAMPLES);

const summary = running.map((app) => ({
  app,
  rps: median(app.samples.map((s) => s.rps)),
  p50: median(app.samples.map((s) => s.p50)),
  p99: median(app.samples.map((s) => s.p99)),
  cpu: median(app.samples.map((s) => s.cpuMsPerRequest)),
  rss: Math.max(...app.samples.map((s) => s.rssMb)),
}));
const base = summary[0]!;
console.log(
  `\nWorkload: list, detail, create, recommendations (cache) in turn; ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_S} s per variant, medians`,
);
console.log('| variant | req/s | p50 ms | p99 ms | CPU ms/req | RSS idle MB | RSS after load MB | start ms | throughput | p99 | CPU | RSS idle | RSS after load |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const signedMb = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(0)} MB`;
for (const row of summary) {
  console.log(
    `| (${row.app.variant.key}) ${row.app.variant.label} | ${row.rps.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ` +
      `${row.cpu.toFixed(3)} | ${row.app.idleRssMb.toFixed(0)} | ${row.rss.toFixed(0)} | ${row.app.startMs.toFixed(0)} | ` +
      `${(row.rps / base.rps).toFixed(2)} | ${(row.p99 / base.p99).toFixed(2)} | ${(row.cpu / base.cpu).toFixed(2)} | ` +
      `${signedMb(row.app.idleRssMb - base.app.idleRssMb)} | ${signedMb(row.rss - base.rss)} |`,
  );
}
console.log(`\nLoading the instrumentations (median of ${LOAD_SAMPLES} fresh processes; time since process start)`);
console.log('| instrumentations | ready ms | RSS MB |');
console.log('|---|---:|---:|');
console.log(`| none (bare node) | ${load.none.readyMs.toFixed(0)} | ${load.none.rssMb.toFixed(0)} |`);
console.log(`| individual packages, as shipped (pg, ioredis, undici, pino, runtime-node) | ${load.individual.readyMs.toFixed(0)} | ${load.individual.rssMb.toFixed(0)} |`);
console.log(`| auto-instrumentations-node, all but http, express, pg, ioredis, undici, pino, runtime-node disabled | ${load.auto.readyMs.toFixed(0)} | ${load.auto.rssMb.toFixed(0)} |`);

async function startVariant(variant: Variant): Promise<RunningVariant> {
  const databaseUrl = await freshDatabase(`bench_overhead_${variant.key}`);
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...variant.imports.flatMap((entry) => ['--import', entry]), 'dist/app/src/main.js'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `bench-overhead-${variant.key}:`,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      CATALOG_URL: catalog.url,
      CACHE_TTL_SECONDS: '3600',
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      ...variant.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
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
  const { token } = await post('/api/users', { name: 'Bench', email: `bench-${variant.key}@example.com` });
  let taskId = 0;
  for (const tag of ['jazz', 'jazz', 'rock']) taskId = (await post('/api/tasks', { title: `${tag} task`, tags: [tag] }, token)).id;
  const first = await fetch(`${url}/api/recommendations`, { headers: { authorization: `Bearer ${token}` } });
  if (!first.ok) throw new Error(`(${variant.key}) recommendations answered ${first.status}`);
  return { variant, child, url, startMs, idleRssMb: rssMb(child.pid!), token, taskId, samples: [] };
}

async function drive(app: RunningVariant, durationS: number): Promise<autocannon.Result> {
  const result = await autocannon({
    url: app.url,
    connections: CONNECTIONS,
    duration: durationS,
    headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
    requests: [
      { method: 'GET', path: '/api/tasks?limit=20' },
      { method: 'GET', path: `/api/tasks/${app.taskId}` },
      { method: 'POST', path: '/api/tasks', body: JSON.stringify({ title: 'bench task', tags: ['jazz'] }) },
      { method: 'GET', path: '/api/recommendations' },
    ],
  });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`(${app.variant.key}) ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return result;
}

async function freshDatabase(name: string): Promise<string> {
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
