import { ConfigError, loadConfig } from './config.ts';
import { createService } from './createService.ts';
import { createLogger } from './logger.ts';
import { exitAfter } from './processExit.ts';

try {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const service = await createService(config, logger);
  logger.info({ url: service.url }, 'listening');
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    // Stop (captures cancelled, in-flight requests finished, pools closed), flush telemetry, exit: all bounded.
    void exitAfter(() => service.stop(), config.SHUTDOWN_TIMEOUT_MS, logger);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
