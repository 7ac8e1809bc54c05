// Task list latency at 10k, 100k and 1M tasks for one user: the first page and a page deep in the cursor chain, of
// the whole list and of `?tag=…&status=…` together (a fifteenth of the tasks), measured server-side (the app's own
// request log) with the app in its own process, plus its RSS. For contrast, the same deep page of the whole list
// fetched with OFFSET, the way a naive list would, timed in SQL on the same data.
// Usage: npm run bench:tasks   (builds first; DATABASE_URL names a PostgreSQL server, where bench_tasks is recreated)
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { encodeCursor } from '../app/src/tasks/cursor.ts';
import { SEED_TAGS, seedTasks } from './seedTasks.ts';

const SIZES = [10_000, 100_000, 1_000_000];
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const WARMUP = 200;
/** Every fifteenth seeded task (tags and statuses take turns, five and three of them). */
const COMBINED = { tag: SEED_TAGS[3]!, status: 'done' };
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbUrl = Object.assign(new URL(serverUrl), { pathname: '/bench_tasks' }).toString();
/** Other developers share the machine's cores: the numbers go with the load they were taken under. */
const loadAverage = () => loadavg().map((load) => load.toFixed(2)).join(', ');
const loadAtStart = loadAverage();
const progress = (message: string) => process.stderr.write(`[bench:tasks] ${message}\n`);

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS bench_tasks WITH (FORCE)');
await admin.query('CREATE DATABASE bench_tasks');
await admin.end();

const app = spawn(process.execPath, ['dist/app/src/main.js'], {
  env: { ...process.env, DATABASE_URL: dbUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ADMIN_TOKEN: 'bench-admin-token-0123456789', REDIS_KEY_PREFIX: 'bench:' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const serverDurations: number[] = [];
let baseUrl = '';
const listening = new Promise<void>((resolve) => {
  createInterface({ input: app.stdout }).on('line', (line) => {
    const entry = JSON.parse(line) as { msg: string; url?: string; route?: string; durationMs?: number };
    if (entry.msg === 'listening') {
      baseUrl = entry.url!;
      resolve();
    } else if (entry.msg === 'request' && entry.route === '/api/tasks') serverDurations.push(entry.durationMs!);
  });
});
await listening;

const db = new pg.Client({ connectionString: dbUrl });
await db.connect();
const rows: string[][] = [];
for (const size of SIZES) {
  const created = await fetch(`${baseUrl}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `bench ${size}`, email: `bench${size}@example.com` }),
  });
  const user = (await created.json()) as { id: number; token: string };
  progress(`seeding ${size.toLocaleString('en')} tasks`);
  const started = Date.now();
  await seedTasks(db, user.id, size);
  progress(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s; measuring`);
  const { rows: [middle] } = await db.query<{ id: number }>(
    'SELECT id FROM tasks WHERE user_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1',
    [user.id, Math.floor(size / 2)],
  );
  const { rows: [middleCombined] } = await db.query<{ id: number }>(
    'SELECT id FROM tasks WHERE user_id = $1 AND $2 = ANY (tags) AND status = $3 ORDER BY id DESC OFFSET $4 LIMIT 1',
    [user.id, COMBINED.tag, COMBINED.status, Math.floor(size / 30)],
  );
  const deepCursor = encodeCursor(middle!.id);
  const combined = `tag=${COMBINED.tag}&status=${COMBINED.status}`;
  const firstPage = await measure(`${baseUrl}/api/tasks?limit=20`, user.token);
  const deepPage = await measure(`${baseUrl}/api/tasks?limit=20&cursor=${deepCursor}`, user.token);
  const combinedFirst = await measure(`${baseUrl}/api/tasks?limit=20&${combined}`, user.token);
  const combinedDeep = await measure(`${baseUrl}/api/tasks?limit=20&${combined}&cursor=${encodeCursor(middleCombined!.id)}`, user.token);
  const offset = await measureSql(db, user.id, Math.floor(size / 2));
  const rss = await processRssMb(app.pid!);
  rows.push([
    size.toLocaleString('en'),
    ...[firstPage.p50, firstPage.p99, deepPage.p50, deepPage.p99, offset.p50].map(fmt),
    ...[combinedFirst.p50, combinedFirst.p99, combinedDeep.p50, combinedDeep.p99].map(fmt),
    `${rss} MB`,
  ]);
}
await db.end();
app.kill('SIGTERM');

console.log(`\nTask list, one user, limit=20, ${REQUESTS} sequential requests per cell after ${WARMUP} warm-up; server-side ms from the request log`);
console.log(`Load average at the start: ${loadAtStart}; at the end: ${loadAverage()}`);
console.log(
  '| tasks | first page p50 | first page p99 | deep page p50 | deep page p99 | OFFSET deep page p50 (SQL only) | ' +
    'tag+status first page p50 | tag+status first page p99 | tag+status deep page p50 | tag+status deep page p99 | app RSS |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);

async function measure(url: string, token: string): Promise<{ p50: number; p99: number }> {
  const headers = { authorization: `Bearer ${token}` };
  for (let i = 0; i < WARMUP; i++) await (await fetch(url, { headers })).arrayBuffer();
  serverDurations.length = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const response = await fetch(url, { headers });
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    await response.arrayBuffer();
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  return percentiles(serverDurations);
}

async function measureSql(client: pg.Client, userId: number, offset: number): Promise<{ p50: number; p99: number }> {
  const durations: number[] = [];
  for (let i = 0; i < 50; i++) {
    const start = performance.now();
    await client.query('SELECT * FROM tasks WHERE user_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 20', [userId, offset]);
    durations.push(performance.now() - start);
  }
  return percentiles(durations);
}

function percentiles(values: number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

async function processRssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

function fmt(ms: number): string {
  return `${ms.toFixed(2)} ms`;
}
