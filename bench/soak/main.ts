// Does the app hold on to memory under steady load? The app as shipped (telemetry on, 10% of traces, spans to a local
// OTLP sink), its own database, the catalog stand-in, and SOAK_MINUTES of mixed load at a fixed rate (create, read,
// update, delete, the list with and without filters, recommendations; the tables stay the same size). Every minute
// it prints the app's RSS and its heap in use after a full GC, then the growth after the first minute (warm-up).
// Not a test: it prints numbers.
// Usage: npm run bench:soak   (builds first; DATABASE_URL / REDIS_URL name the servers; SOAK_MINUTES (10),
// SOAK_RATE (requests/s, 50), SOAK_CONNECTIONS (5), SOAK_TASKS (tasks the user has besides the soak's own, 500))
import { loadavg } from 'node:os';
import { startCatalog } from '../../catalog/src/startCatalog.ts';
import { startOtlpReceiver } from '../../test/support/otlpReceiver.ts';
import { rssMb } from '../../test/support/processStats.ts';
import { drive } from '../support/drive.ts';
import { startBenchApp } from '../support/startBenchApp.ts';
import { TELEMETRY_ENTRY } from '../overhead/variants.ts';
import { soakRequests } from './soakRequests.ts';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RATE = Number(process.env.SOAK_RATE ?? 50);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 5);
const TASKS = Number(process.env.SOAK_TASKS ?? 500);
const MB = 2 ** 20;
const progress = (message: string) => process.stderr.write(`[bench:soak] ${message}\n`);
const loadAverage = () => loadavg().map((load) => load.toFixed(2)).join(', ');

interface Minute {
  minute: number;
  requests: number;
  /** Answers other than 2xx, and requests that got no answer. */
  failed: number;
  p50: number;
  p99: number;
  rssMb: number;
  heapMb: number;
}

const loadAtStart = loadAverage();
const catalog = await startCatalog({ itemCount: 2000 });
const sink = await startOtlpReceiver({ record: false });
const app = await startBenchApp({
  name: 'soak',
  imports: [TELEMETRY_ENTRY],
  env: {},
  catalogUrl: catalog.url,
  otlpEndpoint: sink.endpoint,
  heapProbe: true,
});
// Whatever happens to the bench, the app it started does not outlive it.
process.on('exit', () => app.child.kill('SIGKILL'));
progress(`app started in ${app.startMs.toFixed(0)} ms; giving its user ${TASKS} tasks`);
for (let i = 0; i < TASKS; i++) {
  const response = await fetch(`${app.url}/api/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: `task ${i}`, status: ['todo', 'doing', 'done'][i % 3], tags: [['jazz', 'rock', 'home'][i % 3]] }),
  });
  if (response.status !== 201) throw new Error(`creating task ${i}: ${response.status}`);
}
progress(`idle: RSS ${rssMb(app.child.pid!).toFixed(0)} MB, heap after GC ${((await app.heapUsedAfterGc()) / MB).toFixed(1)} MB`);
progress(`${MINUTES} minutes at ${RATE} requests/s over ${CONNECTIONS} connections; load average ${loadAtStart}`);

const minutes: Minute[] = [];
for (let minute = 1; minute <= MINUTES; minute++) {
  const result = await drive(app, { durationS: 60, connections: CONNECTIONS, overallRate: RATE, requests: soakRequests() });
  const sample = {
    minute,
    requests: result.requests.total,
    failed: result.non2xx + result.errors,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rssMb: rssMb(app.child.pid!),
    heapMb: (await app.heapUsedAfterGc()) / MB,
  };
  minutes.push(sample);
  console.log(
    `minute ${minute}: ${sample.requests} requests (${sample.failed} failed), p50 ${sample.p50} ms, p99 ${sample.p99} ms, ` +
      `RSS ${sample.rssMb.toFixed(1)} MB, heap used after GC ${sample.heapMb.toFixed(1)} MB`,
  );
}
await app.stop();
await sink.stop();
await catalog.stop();

console.log(`\nSoak: ${MINUTES} min at ${RATE} req/s, ${CONNECTIONS} connections; load average at the start ${loadAtStart}, at the end ${loadAverage()}`);
console.log('| minute | requests | failed | p50 ms | p99 ms | RSS MB | heap used after GC MB |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const m of minutes) {
  console.log(`| ${m.minute} | ${m.requests} | ${m.failed} | ${m.p50} | ${m.p99} | ${m.rssMb.toFixed(1)} | ${m.heapMb.toFixed(1)} |`);
}
const first = minutes[0]!;
const last = minutes.at(-1)!;
const span = last.minute - first.minute;
if (span > 0) {
  const growth = (from: number, to: number) => `${to - from >= 0 ? '+' : ''}${(to - from).toFixed(1)} MB (${((to - from) / span).toFixed(2)} MB/min)`;
  console.log(`\nGrowth after warm-up (minute ${first.minute} → ${last.minute}): RSS ${growth(first.rssMb, last.rssMb)}, heap used after GC ${growth(first.heapMb, last.heapMb)}`);
}
