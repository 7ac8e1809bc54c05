import { ConfigError, loadConfig } from './config.ts';
import { createService } from './createService.ts';
import { createLogger } from './logger.ts';

try {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const service = await createService(config, logger);
  logger.info({ url: service.url }, 'listening');
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    service.stop().then(
      // Exit once the event loop is empty (telemetry flushes on the same signal); force it if something lingers.
      () => void setTimeout(() => process.exit(0), 5_000).unref(),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
