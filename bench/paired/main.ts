// What telemetry costs per request at a fixed, moderate rate, with the machine's drift taken out: several copies of
// the app (each in its own process with its own database) are driven at the same time, each at the same request
// rate, sent evenly (bench/support/drivePaced.ts), in windows, so whatever else the shared cores do hits all of them
// alike. Every variant runs in BENCH_COPIES processes (started interleaved: a1 b1 c1 a2 b2 c2 ...), because two
// processes of the same code differ by a few hundredths of a millisecond per request for as long as they live: a
// variant's figure is the mean of its copies, and each copy's own difference to the base shows that spread (the
// base's copies are the control). Per window and copy it prints the CPU per request, split into the main thread,
// V8's worker threads (concurrent GC and compilation) and the rest.
// Usage: npm run bench:paired   (builds first; BENCH_VARIANTS=a,b,c, the first is the base; BENCH_COPIES (2) processes
// per variant; BENCH_WORKLOAD=list|mixed; BENCH_RATE requests/s per copy (100); BENCH_WINDOWS (12) of BENCH_WINDOW_S
// (8) after BENCH_WARMUP_S (20); the app's NODE_OPTIONS from docker-compose.yml unless BENCH_NODE_OPTIONS says otherwise)
import { startCatalog } from '../../catalog/src/startCatalog.ts';
import { startOtlpReceiver } from '../../test/support/otlpReceiver.ts';
import { cpuMs, cpuMsByThreadName } from '../../test/support/processStats.ts';
import { median } from '../overhead/loadCost.ts';
import { benchNodeOptions } from '../overhead/shippedNodeOptions.ts';
import { startVariant } from '../overhead/startVariant.ts';
import { VARIANTS, FEATURE_VARIANTS, type Variant } from '../overhead/variants.ts';
import { WORKLOADS, type BenchFixture } from '../overhead/workloads.ts';
import { assertAllAnswered, drive } from '../support/drive.ts';

const keys = (process.env.BENCH_VARIANTS ?? 'a,b,c').split(',');
const COPIES = Number(process.env.BENCH_COPIES ?? 2);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 12);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 8);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 20);
const CONNECTIONS = 10;
const NODE_OPTIONS = benchNodeOptions();
const workload = WORKLOADS.find((candidate) => candidate.key === (process.env.BENCH_WORKLOAD ?? 'list'));
if (workload === undefined) throw new Error(`BENCH_WORKLOAD must be one of ${WORKLOADS.map((w) => w.key).join(', ')}`);
const variantOf = (key: string): Variant => {
  const variant = [...VARIANTS, ...FEATURE_VARIANTS].find((candidate) => candidate.key === key);
  if (variant === undefined) throw new Error(`unknown variant ${key}`);
  return variant;
};
if (!Number.isInteger(COPIES) || COPIES < 1) throw new Error('BENCH_COPIES must be a whole number, 1 or more');
if (new Set(keys).size !== keys.length) throw new Error('BENCH_VARIANTS names each variant once; BENCH_COPIES sets how many processes each gets');
const variants = keys.map(variantOf);
// Interleaved, so that no variant is started first (or last) as a whole.
const copies = Array.from({ length: COPIES }, (_, copy) => variants.map((variant) => ({ name: `${variant.key}${copy + 1}`, variant }))).flat();
const progress = (message: string) => process.stderr.write(`[bench:paired] ${message}\n`);

type Copy = BenchFixture & { name: string; variant: Variant };
type Measure = Exclude<keyof WindowCpu, 'p99'> | 'other';
interface WindowCpu {
  total: number;
  main: number;
  v8Workers: number;
  p99: number;
}

const catalog = await startCatalog({ itemCount: 2000 });
const sink = await startOtlpReceiver({ record: false });
const running: Copy[] = [];
process.on('exit', () => {
  for (const app of running) app.child.kill('SIGKILL');
});
for (const [index, { name, variant }] of copies.entries()) {
  progress(`starting ${name}: ${variant.label}`);
  const app = await startVariant(variant, `paired_${index}`, { catalogUrl: catalog.url, otlpEndpoint: sink.endpoint, nodeOptions: NODE_OPTIONS });
  running.push(Object.assign(app, { name, variant }));
}

/** Drives every copy at RATE for `seconds`, all at once; returns each copy's CPU per request in the window. */
async function window(seconds: number): Promise<WindowCpu[]> {
  const before = running.map((app) => ({ total: cpuMs(app.child.pid!), threads: cpuMsByThreadName(app.child.pid!) }));
  const results = await Promise.all(
    running.map((app) => drive(app, { durationS: seconds, connections: CONNECTIONS, overallRate: RATE, requests: workload!.requests(app) })),
  );
  return running.map((app, index) => {
    const result = results[index]!;
    assertAllAnswered(result, app.name);
    const threads = cpuMsByThreadName(app.child.pid!);
    const spent = (name: string) => (threads.get(name) ?? 0) - (before[index]!.threads.get(name) ?? 0);
    return {
      total: (cpuMs(app.child.pid!) - before[index]!.total) / result.requests.total,
      main: spent('MainThread') / result.requests.total,
      v8Workers: spent('V8Worker') / result.requests.total,
      p99: result.latency.p99,
    };
  });
}

progress(`warming up every copy at ${RATE} requests/s for ${WARMUP_S} s`);
await window(WARMUP_S);
const windows: WindowCpu[][] = [];
for (let n = 0; n < WINDOWS; n++) {
  windows.push(await window(WINDOW_S));
  progress(`window ${n + 1}/${WINDOWS}: ${running.map((app, index) => `${app.name} ${windows.at(-1)![index]!.total.toFixed(3)}`).join(', ')} ms/req`);
}
for (const app of running) await app.stop();
await sink.stop();
await catalog.stop();

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
const pick = (of: WindowCpu, measure: Measure) => (measure === 'other' ? of.total - of.main - of.v8Workers : of[measure]);
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
/** Each variant's copies, as indexes into `running` (and into each window's figures). */
const copyIndexes = new Map(variants.map((variant) => [variant, running.flatMap((app, index) => (app.variant === variant ? [index] : []))]));
const copiesOf = (variant: Variant) => copyIndexes.get(variant)!;
/** In one window: the mean of a variant's copies. */
const variantMean = (cpu: WindowCpu[], variant: Variant, measure: Measure) => mean(copiesOf(variant).map((index) => pick(cpu[index]!, measure)));
const base = variants[0]!;
/** Median over the windows of each window's difference to the base's mean in that window. */
const overBase = (value: (cpu: WindowCpu[]) => number, measure: Measure) => median(windows.map((cpu) => value(cpu) - variantMean(cpu, base, measure)));

console.log(`\nWorkload "${workload.key}" at ${RATE} requests/s per copy, ${running.length} copies (${COPIES} per variant) at once; ${WINDOWS} windows of ${WINDOW_S} s after ${WARMUP_S} s of warm-up`);
console.log(`Node flags of every copy: ${NODE_OPTIONS === '' ? 'none' : NODE_OPTIONS}`);
console.log(`\nCPU ms per request, each window and copy`);
console.log(`| window | ${running.map((app) => app.name).join(' | ')} |`);
console.log(`|---:|${running.map(() => '---:').join('|')}|`);
for (const [n, cpu] of windows.entries()) console.log(`| ${n + 1} | ${cpu.map((of) => of.total.toFixed(3)).join(' | ')} |`);
console.log(`\nMedians over the windows of each window's difference to the mean of ${base.key}'s copies; a variant is the mean of its copies`);
console.log('| variant | CPU ms/req | extra CPU/req | of it main thread | of it V8 workers | of it other threads | each copy\'s extra CPU/req | p99 ms |');
console.log('|---|---:|---:|---:|---:|---:|---|---:|');
for (const variant of variants) {
  const extra = (measure: Measure) => signed(overBase((cpu) => variantMean(cpu, variant, measure), measure));
  const eachCopy = copiesOf(variant).map((index) => `${running[index]!.name} ${signed(overBase((cpu) => cpu[index]!.total, 'total'))}`);
  const p99 = median(windows.map((cpu) => mean(copiesOf(variant).map((index) => cpu[index]!.p99))));
  console.log(
    `| (${variant.key}) ${variant.label} | ${median(windows.map((cpu) => variantMean(cpu, variant, 'total'))).toFixed(3)} | ${extra('total')} | ${extra('main')} | ` +
      `${extra('v8Workers')} | ${extra('other')} | ${eachCopy.join(', ')} | ${p99.toFixed(1)} |`,
  );
}
console.log(`\nThe copies of ${base.key} are the control: how far apart their own differences lie is how far apart two processes of the same code are.`);
