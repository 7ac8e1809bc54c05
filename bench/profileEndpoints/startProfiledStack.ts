import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { startCatalog, type RunningCatalog } from '../../catalog/src/startCatalog.ts';
import { startTelemetry } from '../../app/src/telemetry/startTelemetry.ts';
import { seedTasks } from '../seedTasks.ts';

export interface StackOptions {
  /** PostgreSQL server; a fresh database is created on it and dropped at the end. */
  databaseUrl: string;
  redisUrl: string;
  /** Tasks of the one seeded user. */
  tasks: number;
  /** Latency of every catalog stand-in response, like a real external API. */
  catalogLatencyMs: number;
}

export interface ProfiledStack {
  baseUrl: string;
  token: string;
  /** Ids of the seeded user's tasks. */
  taskIds: number[];
  catalog: RunningCatalog;
  /** Deletes the cached catalog data of this run, so the next recommendation request is a cold one. */
  flushCatalogCache(): Promise<void>;
  stop(): Promise<void>;
}

/** Spans are created (the sampler's real cost) and then dropped: the report measures the app, not a trace backend. */
const dropSpans: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };

/**
 * Telemetry, a fresh database with one user and `tasks` tasks, the catalog stand-in and the app, all in this
 * process, the app's dependencies instrumented as in production (telemetry starts before the app is imported).
 */
export async function startProfiledStack(options: StackOptions, progress: (message: string) => void): Promise<ProfiledStack> {
  const telemetry = await startTelemetry({ prometheusPort: 0, prometheusHost: '127.0.0.1', spanExporter: dropSpans });
  const { createService } = await import('../../app/src/createService.ts');
  const { loadConfig } = await import('../../app/src/config.ts');
  const { createLogger } = await import('../../app/src/logger.ts');

  const database = `profile_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withClient(options.databaseUrl, (admin) => admin.query(`CREATE DATABASE ${database}`));
  const databaseUrl = Object.assign(new URL(options.databaseUrl), { pathname: `/${database}` }).toString();
  const redisPrefix = `profile:${randomBytes(4).toString('hex')}:`;
  const catalog = await startCatalog({ knobs: { latencyMs: options.catalogLatencyMs } });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    CATALOG_URL: catalog.url,
    ADMIN_TOKEN: randomBytes(16).toString('hex'),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    // The report records its own CPU profiles; an automatic one (a slow request, a stall) would make them a 409.
    PROFILE_AUTO_CAPTURE: 'false',
  });
  const service = await createService(config, createLogger(config.LOG_LEVEL));

  const created = await fetch(`${service.url}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Profiled user', email: `profile-${randomBytes(4).toString('hex')}@example.com` }),
  });
  const user = (await created.json()) as { id: number; token: string };
  progress(`seeding ${options.tasks.toLocaleString('en')} tasks`);
  const taskIds = await withClient(databaseUrl, async (db) => {
    await seedTasks(db, user.id, options.tasks);
    const { rows } = await db.query<{ id: number }>('SELECT id FROM tasks WHERE user_id = $1', [user.id]);
    return rows.map((row) => row.id);
  });

  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  // A user's recommendations always cache the same keys: found once with SCAN, later flushes are one DEL.
  let cachedKeys: string[] = [];
  const flushCatalogCache = async (): Promise<void> => {
    if (cachedKeys.length === 0) {
      for await (const batch of redis.scanStream({ match: `${redisPrefix}catalog:*`, count: 1000 })) cachedKeys.push(...(batch as string[]));
    }
    if (cachedKeys.length > 0) await redis.del(...cachedKeys);
  };

  return {
    baseUrl: service.url,
    token: user.token,
    taskIds,
    catalog,
    flushCatalogCache,
    async stop() {
      await flushCatalogCache();
      redis.disconnect();
      await service.stop();
      await catalog.stop();
      await withClient(options.databaseUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
      await telemetry.shutdown();
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
