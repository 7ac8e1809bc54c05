// What telemetry costs the app: one fixed workload (task list, task detail, create, recommendations from the cache)
// driven by autocannon against four copies of the app, each in its own process with its own database, measured side
// by side in alternating rounds (the order rotates each round, so drift on a shared machine spreads over all four):
// (a) telemetry off, (b) telemetry as shipped, (c) prom-client + express-prom-bundle, (d) telemetry with every trace
// sampled. Spans go to a local OTLP sink that answers 200, so export costs what it costs. Then the load cost of
// auto-instrumentations-node against the individual instrumentation packages.
// Usage: npm run bench:overhead   (builds first; DATABASE_URL / REDIS_URL name the servers; BENCH_ROUNDS,
// BENCH_DURATION_S, BENCH_CONNECTIONS, BENCH_LOAD_SAMPLES change the run's length)
import type autocannon from 'autocannon';
import { startCatalog } from '../../catalog/src/startCatalog.ts';
import { startOtlpReceiver } from '../../test/support/otlpReceiver.ts';
import { cpuMs, rssMb } from '../../test/support/processStats.ts';
import { drive, type DriveOptions } from '../support/drive.ts';
import { startBenchApp, type BenchApp } from '../support/startBenchApp.ts';
import { measureLoadCost, median } from './loadCost.ts';
import { VARIANTS, type Variant } from './variants.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const LOAD_SAMPLES = Number(process.env.BENCH_LOAD_SAMPLES ?? 5);
const WARMUP_S = 3;
const progress = (message: string) => process.stderr.write(`[bench:overhead] ${message}\n`);

interface RunningVariant extends BenchApp {
  variant: Variant;
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
  const app = await startBenchApp({
    name: `overhead_${variant.key}`,
    imports: variant.imports,
    env: { CACHE_TTL_SECONDS: '3600', ...variant.env },
    catalogUrl: catalog.url,
    otlpEndpoint: sink.endpoint,
  });
  running.push({ ...app, variant, samples: [] });
}
for (const app of running) {
  progress(`warming up (${app.variant.key}) for ${WARMUP_S} s`);
  requireAllOk(app, await drive(app, workload(app, WARMUP_S)));
}
for (let round = 0; round < ROUNDS; round++) {
  const order = running.map((_, index) => running[(index + round) % running.length]!);
  progress(`round ${round + 1}/${ROUNDS}: ${order.map((app) => app.variant.key).join(' ')}, ${DURATION_S} s each`);
  for (const app of order) {
    const cpuBefore = cpuMs(app.child.pid!);
    const result = requireAllOk(app, await drive(app, workload(app, DURATION_S)));
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
  await app.stop();
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

/** The compared workload: list, detail, create, recommendations (from the cache), in turn. */
function workload(app: RunningVariant, durationS: number): DriveOptions {
  return {
    durationS,
    connections: CONNECTIONS,
    requests: [
      { method: 'GET', path: '/api/tasks?limit=20' },
      { method: 'GET', path: `/api/tasks/${app.taskId}` },
      { method: 'POST', path: '/api/tasks', body: JSON.stringify({ title: 'bench task', tags: ['jazz'] }) },
      { method: 'GET', path: '/api/recommendations' },
    ],
  };
}

function requireAllOk(app: RunningVariant, result: autocannon.Result): autocannon.Result {
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`(${app.variant.key}) ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return result;
}
