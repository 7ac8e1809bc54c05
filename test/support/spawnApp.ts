import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { HEAP_PROBE_ARGS, heapUsedAfterGc } from './heapProbe.ts';
import { rssMb } from './processStats.ts';
import { TEST_ADMIN_TOKEN } from './startTestApp.ts';
import { createTestDatabase, requireEnv } from './testDatabase.ts';

export interface SpawnedApp {
  child: ChildProcess;
  /** The API's base URL, from the app's `listening` log line. */
  url: string;
  /** Every line the app wrote to stdout so far (its pino log). */
  stdoutLines: string[];
  /** Every line the app wrote to stderr so far (telemetry's own log lines go there). */
  stderrLines: string[];
  /** Telemetry's Prometheus endpoint, from its `telemetry started` line on stderr; throws if there is none. */
  metricsUrl(): string;
  /** Resident set size of the app's process now, in bytes. */
  rssBytes(): number;
  /** Heap in use after a full garbage collection, in bytes (needs `heapProbe: true`). */
  heapUsedAfterGc(): Promise<number>;
  /**
   * Sends the signal (unless the app has exited already) and resolves with the exit code once the app has exited
   * and its database is dropped. Safe to call twice: a test can stop with SIGTERM, its clean-up with SIGKILL.
   */
  stopWith(signal: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnAppOptions {
  /** Environment on top of the test's own, a fresh database, Redis, and free ports for the API and /metrics. */
  env?: Record<string, string>;
  /** Modules loaded by `node --import` before the app, e.g. the telemetry entry. @default none */
  imports?: string[];
  /** Lets heapUsedAfterGc() ask the app for its heap after a garbage collection. @default false */
  heapProbe?: boolean;
  /** The app's entry: the sources, or the build `npm start` runs (dist/app/src/main.js). @default app/src/main.ts */
  main?: string;
}

/**
 * The app as a user runs it, in its own process (`node [--import …] app/src/main.ts`), against a fresh database;
 * resolves once it logs `listening`.
 */
export async function spawnApp(options: SpawnAppOptions = {}): Promise<SpawnedApp> {
  const database = await createTestDatabase();
  const probe = options.heapProbe === true ? HEAP_PROBE_ARGS : [];
  const child = spawn(process.execPath, [...probe, ...(options.imports ?? []).flatMap((entry) => ['--import', entry]), options.main ?? 'app/src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL: requireEnv('REDIS_URL'),
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stopped: Promise<number | null> | undefined;
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const stdoutLines: string[] = [];
  const stderrLines: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderrLines.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdoutLines.push(line);
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening' && entry.url !== undefined) resolve(entry.url);
    });
    void exited.then((code) => reject(new Error(`the app exited with ${code} before listening:\n${stderrLines.join('\n')}`)));
  });
  return {
    child,
    url,
    stdoutLines,
    stderrLines,
    metricsUrl() {
      const found = stderrLines.map((line) => /"metricsUrl":"([^"]+)"/.exec(line)?.[1]).find((metricsUrl) => metricsUrl !== undefined);
      if (found === undefined) throw new Error(`no 'telemetry started' line:\n${stderrLines.join('\n')}`);
      return found;
    },
    rssBytes: () => rssMb(child.pid!) * 2 ** 20,
    heapUsedAfterGc: () => heapUsedAfterGc(child, stderrLines),
    stopWith(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return (stopped ??= exited.then(async (code) => {
        await database.drop();
        return code;
      }));
    },
  };
}

