// What telemetry costs the app: two workloads (a mix of list, detail, create and cached recommendations; and the task
// list alone, the cheapest endpoint, where a fixed per-request cost shows most) driven by autocannon against four
// copies of the app, each in its own process with its own database, measured side by side in alternating rounds
// (the order rotates each round, so drift on a shared machine spreads over all four): (a) telemetry off,
// (b) telemetry as shipped, (c) prom-client + express-prom-bundle, (d) telemetry with every trace sampled. Spans go
// to a local OTLP sink that answers 200, so export costs what it costs. Then the load cost of
// auto-instrumentations-node against the individual instrumentation packages.
// Usage: npm run bench:overhead   (builds first; DATABASE_URL / REDIS_URL name the servers; BENCH_ROUNDS,
// BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_CONNECTIONS, BENCH_LOAD_SAMPLES, BENCH_STARTS, BENCH_WORKLOADS=mixed,list change the run; every variant
// runs with the app's NODE_OPTIONS from docker-compose.yml (BENCH_NODE_OPTIONS replaces them; empty for none, as
// `npm start` runs); BENCH_FEATURES=true
// adds (e) no log export and (f) no exemplars, to price those two features; BENCH_VARIANTS=a,b picks some; the first
// one picked is the base of the ratios). The ratio and difference columns are the median over the rounds of each
// round's ratio or difference to the base, whose window ran next to the variant's in the same round.
import { loadavg } from 'node:os';
import { startCatalog } from '../../catalog/src/startCatalog.ts';
import { startOtlpReceiver } from '../../test/support/otlpReceiver.ts';
import { cpuMs, rssMb } from '../../test/support/processStats.ts';
import { assertAllAnswered, drive as driveApp, type DriveResult } from '../support/drive.ts';
import { measureLoadCost, median } from './loadCost.ts';
import { benchNodeOptions } from './shippedNodeOptions.ts';
import { startUpTimes } from './startUpTimes.ts';
import { startVariant, type VariantServers } from './startVariant.ts';
import { FEATURE_VARIANTS, VARIANTS, type Variant } from './variants.ts';
import { WORKLOADS, type BenchFixture, type Workload } from './workloads.ts';

type StartedVariant = BenchFixture & { variant: Variant };

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const LOAD_SAMPLES = Number(process.env.BENCH_LOAD_SAMPLES ?? 5);
const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const WORKLOAD_KEYS = (process.env.BENCH_WORKLOADS ?? 'mixed,list').split(',');
const NODE_OPTIONS = benchNodeOptions();
const variants = [...VARIANTS, ...(process.env.BENCH_FEATURES === 'true' ? FEATURE_VARIANTS : [])].filter(
  (variant) => process.env.BENCH_VARIANTS === undefined || process.env.BENCH_VARIANTS.split(',').includes(variant.key),
);
// Long enough for the JIT: at a fixed rate, (b)'s CPU per request settles after about 10 s, (a)'s after 3 s.
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 10);
const progress = (message: string) => process.stderr.write(`[bench:overhead] ${message}\n`);

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  rssMb: number;
}

const workloads = WORKLOADS.filter((workload) => WORKLOAD_KEYS.includes(workload.key));
const loadAtStart = loadavg();
const catalog = await startCatalog({ itemCount: 2000 });
const sink = await startOtlpReceiver({ record: false });
const servers: VariantServers = { catalogUrl: catalog.url, otlpEndpoint: sink.endpoint, nodeOptions: NODE_OPTIONS };
const running: StartedVariant[] = [];
// Whatever happens to the bench, the apps it started do not outlive it.
process.on('exit', () => {
  for (const app of running) app.child.kill('SIGKILL');
});
for (const variant of variants) {
  progress(`starting (${variant.key}) ${variant.label}`);
  const app = await startVariant(variant, `overhead_${variant.key}`, servers);
  running.push(Object.assign(app, { variant }));
}
const samples = new Map(running.map((app) => [app, new Map(workloads.map((workload) => [workload.key, [] as Sample[]]))]));
for (const app of running) {
  progress(`warming up (${app.variant.key}) for ${WARMUP_S} s per workload`);
  for (const workload of workloads) await drive(app, workload, WARMUP_S);
}
for (let round = 0; round < ROUNDS; round++) {
  const order = running.map((_, index) => running[(index + round) % running.length]!);
  progress(`round ${round + 1}/${ROUNDS}: ${order.map((app) => app.variant.key).join(' ')}, ${workloads.map((w) => w.key).join(' + ')}, ${DURATION_S} s each`);
  // Workload by workload, so that one workload's windows of the variants follow each other within DURATION_S.
  for (const workload of workloads) {
    for (const app of order) {
      const cpuBefore = cpuMs(app.child.pid!);
      const result = await drive(app, workload, DURATION_S);
      const cpu = cpuMs(app.child.pid!) - cpuBefore;
      samples.get(app)!.get(workload.key)!.push({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        cpuMsPerRequest: cpu / result.requests.total,
        rssMb: rssMb(app.child.pid!),
      });
    }
  }
}
const scrapes = new Map<StartedVariant, number | undefined>();
for (const app of running) scrapes.set(app, await scrapeMs(app));
for (const app of running) await app.stop();
progress(`start-up time: ${STARTS} fresh processes per variant`);
const startUps = await startUpTimes(variants, STARTS, servers);
await sink.stop();
await catalog.stop();

progress(`load cost of the instrumentations: ${LOAD_SAMPLES} fresh processes per mode`);
const load = measureLoadCost(LOAD_SAMPLES);

const signed = (value: number, digits: number, unit: string) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)} ${unit}`;
console.log(`\nNode flags of every variant: ${NODE_OPTIONS === '' ? 'none' : NODE_OPTIONS}`);
console.log(`Load average at the start: ${loadAtStart.map((value) => value.toFixed(2)).join(' ')}; at the end: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
for (const workload of workloads) {
  const baseSamples = samples.get(running[0]!)!.get(workload.key)!;
  const rows = running.map((app) => {
    const of = samples.get(app)!.get(workload.key)!;
    // Each round's value against the base's in the same round, then the median over the rounds.
    const eachRound = (combine: (value: Sample, base: Sample) => number) => of.map((sample, round) => combine(sample, baseSamples[round]!));
    const roundRatios = eachRound((value, base) => value.rps / base.rps);
    const roundExtraCpu = eachRound((value, base) => value.cpuMsPerRequest - base.cpuMsPerRequest);
    return {
      app,
      rps: median(of.map((s) => s.rps)),
      // The spread of the rounds, so that a difference can be read against this machine's noise.
      rpsRange: `${Math.min(...of.map((s) => s.rps)).toFixed(0)}–${Math.max(...of.map((s) => s.rps)).toFixed(0)}`,
      p50: median(of.map((s) => s.p50)),
      p99: median(of.map((s) => s.p99)),
      cpu: median(of.map((s) => s.cpuMsPerRequest)),
      rss: Math.max(...of.map((s) => s.rssMb)),
      roundRatios,
      throughputRatio: median(roundRatios),
      p99Ratio: median(eachRound((value, base) => value.p99 / base.p99)),
      roundExtraCpu,
      extraCpu: median(roundExtraCpu),
    };
  });
  const base = rows[0]!;
  console.log(`\nWorkload "${workload.key}": ${workload.title}; ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_S} s per variant after ${WARMUP_S} s of warm-up, medians; ratios and differences: the median of the rounds' own`);
  console.log('| variant | req/s | rounds req/s | p50 ms | p99 ms | CPU ms/req | RSS idle MB | RSS after load MB | start ms | scrape ms | throughput | p99 | extra CPU/req | RSS idle | RSS after load | start |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const scrape = scrapes.get(row.app);
    const [start, baseStart] = [startUps.get(row.app.variant)!.medianMs, startUps.get(base.app.variant)!.medianMs];
    console.log(
      `| (${row.app.variant.key}) ${row.app.variant.label} | ${row.rps.toFixed(0)} | ${row.rpsRange} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ` +
        `${row.cpu.toFixed(3)} | ${row.app.idleRssMb.toFixed(0)} | ${row.rss.toFixed(0)} | ${start.toFixed(0)} | ${scrape === undefined ? '—' : scrape.toFixed(1)} | ` +
        `${row.throughputRatio.toFixed(2)} | ${row.p99Ratio.toFixed(2)} | ${signed(row.extraCpu, 3, 'ms')} | ` +
        `${signed(row.app.idleRssMb - base.app.idleRssMb, 0, 'MB')} | ${signed(row.rss - base.rss, 0, 'MB')} | ${signed(start - baseStart, 0, 'ms')} |`,
    );
  }
  console.log(`Throughput ratio of each round: ${rows.slice(1).map((row) => `(${row.app.variant.key}) ${row.roundRatios.map((ratio) => ratio.toFixed(2)).join(' ')}`).join('; ')}`);
  console.log(`Extra CPU per request of each round: ${rows.slice(1).map((row) => `(${row.app.variant.key}) ${row.roundExtraCpu.map((extra) => signed(extra, 3, 'ms')).join(' ')}`).join('; ')}`);
}
console.log(`\nStart-up, spawn to the first healthy /healthz with a fresh database, median (lowest–highest) of ${STARTS} starts: ${variants.map((variant) => `(${variant.key}) ${startUps.get(variant)!.medianMs.toFixed(0)} ms (${startUps.get(variant)!.rangeMs})`).join(', ')}`);
console.log(`\nLoading the instrumentations (median of ${LOAD_SAMPLES} fresh processes; time since process start)`);
console.log('| instrumentations | ready ms | RSS MB |');
console.log('|---|---:|---:|');
console.log(`| none (bare node) | ${load.none.readyMs.toFixed(0)} | ${load.none.rssMb.toFixed(0)} |`);
console.log(`| individual packages, as shipped (ioredis, undici, runtime-node) | ${load.individual.readyMs.toFixed(0)} | ${load.individual.rssMb.toFixed(0)} |`);
console.log(`| auto-instrumentations-node, all but http, express, pg, ioredis, undici, pino, runtime-node disabled | ${load.auto.readyMs.toFixed(0)} | ${load.auto.rssMb.toFixed(0)} |`);

/** Median time of `count` scrapes of the app's own `/metrics` (after load, so every series exists). */
async function scrapeMs(app: StartedVariant, count = 21): Promise<number | undefined> {
  const target = app.metricsUrl ?? (app.variant.key === 'c' ? `${app.url}/metrics` : undefined);
  if (target === undefined) return undefined;
  const times: number[] = [];
  for (let n = 0; n < count; n++) {
    const start = performance.now();
    await (await fetch(target, { headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' } })).text();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function drive(app: StartedVariant, workload: Workload, durationS: number): Promise<DriveResult> {
  const result = await driveApp(app, { durationS, connections: CONNECTIONS, requests: workload.requests(app) });
  assertAllAnswered(result, `(${app.variant.key}) ${workload.key}`);
  return result;
}
