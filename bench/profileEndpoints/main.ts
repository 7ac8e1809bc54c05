// Profiles each endpoint of the service (seed 000's report, measured): seeds a database, starts the catalog stand-in
// and the app in this process with telemetry, drives every endpoint, and writes reports/profile-<date>.md.
// Usage: npm run profile:endpoints   (DATABASE_URL: a PostgreSQL server where a throwaway database is created; REDIS_URL)
//   PROFILE_TASKS=100000 PROFILE_REQUESTS=500 PROFILE_PROFILED_REQUESTS=200 PROFILE_WARMUP=50 PROFILE_CATALOG_LATENCY_MS=20
import { mkdir, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { profileEndpoints } from './profileEndpoints.ts';
import { renderReport } from './renderReport.ts';

const count = z.coerce.number().int().positive();
const env = z
  .object({
    DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/postgres'),
    REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
    PROFILE_TASKS: count.default(100_000),
    PROFILE_REQUESTS: count.default(500),
    PROFILE_PROFILED_REQUESTS: count.default(200),
    PROFILE_WARMUP: z.coerce.number().int().nonnegative().default(50),
    PROFILE_CATALOG_LATENCY_MS: z.coerce.number().int().nonnegative().default(20),
    PROFILE_REPORT_DIR: z.string().default('reports'),
  })
  .parse(process.env);

const progress = process.stderr.isTTY
  ? (line: string) => process.stderr.write(`\r\x1b[2K[profile:endpoints] ${line}`)
  : throttled((line: string) => process.stderr.write(`[profile:endpoints] ${line}\n`), 2000);

const run = await profileEndpoints(
  {
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    tasks: env.PROFILE_TASKS,
    requests: env.PROFILE_REQUESTS,
    profiledRequests: env.PROFILE_PROFILED_REQUESTS,
    warmup: env.PROFILE_WARMUP,
    catalogLatencyMs: env.PROFILE_CATALOG_LATENCY_MS,
  },
  progress,
);
const report = renderReport(run);
await mkdir(env.PROFILE_REPORT_DIR, { recursive: true });
const file = `${env.PROFILE_REPORT_DIR}/profile-${run.startedAt.toISOString().slice(0, 10)}.md`;
await writeFile(file, report);
if (process.stderr.isTTY) process.stderr.write('\n');
console.log(report);
console.error(`[profile:endpoints] written to ${file}`);

/** Without a terminal to redraw one line on, prints at most one progress line every `ms`. */
function throttled(print: (line: string) => void, ms: number): (line: string) => void {
  let last = 0;
  return (line) => {
    if (Date.now() - last < ms) return;
    last = Date.now();
    print(line);
  };
}
