import { startCatalog, type CatalogOptions, type RunningCatalog } from '../../catalog/src/startCatalog.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './startTestApp.ts';

/** Catalog client settings that keep resilience tests to seconds: short timeouts and backoffs. */
export const FAST_CATALOG_ENV = {
  CATALOG_TIMEOUT_MS: '500',
  CATALOG_MAX_ATTEMPTS: '3',
  CATALOG_BACKOFF_BASE_MS: '5',
  CATALOG_BACKOFF_MAX_MS: '50',
};

export interface AppWithCatalog {
  app: TestApp;
  catalog: RunningCatalog;
  stop(): Promise<void>;
}

/** A catalog stand-in on a free port and the real service pointed at it. */
export async function startAppWithCatalog(env: Record<string, string> = {}, catalogOptions: CatalogOptions = {}, appOptions: TestAppOptions = {}): Promise<AppWithCatalog> {
  const catalog = await startCatalog({ itemCount: 2000, ...catalogOptions });
  const app = await startTestApp({ ...FAST_CATALOG_ENV, CATALOG_URL: catalog.url, ...env }, appOptions);
  return {
    app,
    catalog,
    async stop() {
      await app.stop();
      await catalog.stop();
    },
  };
}

/** Registers a user whose tasks carry the given tags, the first most often, and returns its token. */
export async function userWithTags(app: TestApp, tags: string[], name = 'Listener'): Promise<string> {
  const { token } = await app.api.newUser(name);
  for (const [index, tag] of tags.entries()) {
    for (let n = 0; n < tags.length - index; n++) {
      const { status } = await app.api.post('/api/tasks', { title: `${tag} ${n}`, tags: [tag] }, { token });
      if (status !== 201) throw new Error(`creating a task failed: ${status}`);
    }
  }
  return token;
}
