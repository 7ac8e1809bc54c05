import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../app/src/config.ts';
import { createService, type RunningService } from '../../app/src/createService.ts';
import { createLogger, type Logger } from '../../app/src/logger.ts';
import { ApiClient } from './apiClient.ts';
import { createTestDatabase, requireEnv, type TestDatabase } from './testDatabase.ts';

export const TEST_ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

export interface TestApp {
  service: RunningService;
  config: Config;
  api: ApiClient;
  database: TestDatabase;
  /** Stops the service and drops its database. */
  stop(): Promise<void>;
}

export interface TestAppOptions {
  /** The service's logger (a test reading the log lines passes one). @default pino at TEST_LOG_LEVEL, else silent */
  logger?: Logger;
}

/**
 * The real service on a free port, against its own fresh database and its own Redis key prefix, with the
 * given environment overrides (CATALOG_URL, timeouts, ...).
 */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    REDIS_URL: requireEnv('REDIS_URL'),
    REDIS_KEY_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    CATALOG_URL: 'http://127.0.0.1:9',
    ...env,
  });
  const service = await createService(config, options.logger ?? createLogger(config.LOG_LEVEL));
  return {
    service,
    config,
    api: new ApiClient(service.url),
    database,
    async stop() {
      await service.stop();
      await database.drop();
    },
  };
}
