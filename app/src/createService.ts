import type { Config } from './config.ts';
import { createPool } from './db/createPool.ts';
import { createRedis } from './db/createRedis.ts';
import { migrate } from './db/migrate.ts';
import { createApp } from './http/createApp.ts';
import type { Logger } from './logger.ts';
import { startLiveProfiling } from './profiling/startLiveProfiling.ts';
import { timedMethods } from './profiling/timed.ts';
import { createRecommendationService } from './recommendations/createRecommendationService.ts';
import { listen, type RunningServer } from './server.ts';
import { TaskRepository } from './tasks/taskRepository.ts';
import { TaskService } from './tasks/taskService.ts';
import { UserRepository } from './users/userRepository.ts';
import { UserService } from './users/userService.ts';

export interface RunningService extends RunningServer {
  /**
   * Graceful stop: profile captures are cancelled at once (a live one answers 503) while the HTTP server stops
   * accepting and lets in-flight requests finish (cut after SHUTDOWN_TIMEOUT_MS), then PostgreSQL and Redis are
   * closed. Telemetry is flushed by the caller afterwards (main.ts, processExit.ts). Safe to call twice.
   */
  stop(): Promise<void>;
}

/** Wires the whole service from its configuration and starts it listening. Used by main.ts and by the tests. */
export async function createService(config: Config, logger: Logger): Promise<RunningService> {
  const pool = createPool(config.DATABASE_URL, { max: config.PG_POOL_MAX, connectionTimeoutMs: config.PG_CONNECTION_TIMEOUT_MS });
  const redis = createRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  redis.connect().catch((error: Error) => logger.warn({ err: error.message }, 'redis unavailable at start; serving without cache'));
  if (config.MIGRATE_ON_START) {
    const applied = await migrate(pool, { lockTimeoutMs: config.MIGRATION_LOCK_TIMEOUT_MS });
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  const taskRepository = new TaskRepository(pool);
  const users = new UserService(new UserRepository(pool));
  const profiling = startLiveProfiling(config, logger);
  const app = createApp({
    logger,
    adminToken: config.ADMIN_TOKEN,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    users,
    tasks: timedMethods('tasks', new TaskService(taskRepository)),
    recommendations: createRecommendationService(config, { redis, logger, topTags: (userId, n) => taskRepository.topTags(userId, n) }),
    // Redis is a cache: without it recommendations come straight from the catalog, so it never decides readiness.
    readinessChecks: { required: { postgres: () => pool.query('SELECT 1') }, optional: { redis: () => redis.ping() } },
    profiling,
  });
  const running = await listen(app, config.PORT, config.HOST);
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    const profilingStopped = profiling.shutdown();
    await running.close(config.SHUTDOWN_TIMEOUT_MS);
    await profilingStopped;
    // quit() waits for a reply, which never comes while Redis is down, or when it died a moment ago and the client has
    // not noticed yet (then ioredis keeps reconnecting and the process never exits): bounded, then disconnect().
    const quit = redis.status === 'ready' ? Promise.race([redis.quit(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]) : undefined;
    await Promise.allSettled([pool.end(), Promise.resolve(quit).finally(() => redis.disconnect())]);
  };
  return { ...running, stop: () => (stopping ??= stop()) };
}
