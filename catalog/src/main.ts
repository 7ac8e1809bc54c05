import { catalogOptionsFromEnv } from './catalogEnv.ts';
import { startCatalog } from './startCatalog.ts';

try {
  const options = catalogOptionsFromEnv(process.env);
  const catalog = await startCatalog(options);
  console.log(JSON.stringify({ service: 'catalog', url: catalog.url, knobs: options.knobs, msg: 'listening' }));
  const stop = (): void => void catalog.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
