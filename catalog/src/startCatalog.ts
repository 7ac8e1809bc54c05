import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CatalogControl } from './catalogControl.ts';
import { CatalogData, seededRandom } from './catalogData.ts';
import { handleControl } from './controlEndpoint.ts';
import type { CatalogEndpoint, Knobs } from './knobs.ts';
import { sendJson } from './sendJson.ts';
import { serveItems, serveTop } from './v1Endpoints.ts';

export interface CatalogOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Seed of the generated data and of the error-rate dice. @default 42 */
  seed?: number;
  /** How many items the catalog holds. @default 5000 */
  itemCount?: number;
  /** Starting knobs; the rest are off. */
  knobs?: Partial<Knobs>;
}

export interface RunningCatalog {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** The knobs and call counters, also served at `GET/PUT /control`. */
  control: CatalogControl;
  data: CatalogData;
  /** Closes the server and every open connection. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the stand-in for the external catalog API: deterministic data from a seed, and knobs for latency, errors,
 * rate limiting and outages. Example: `const catalog = await startCatalog({ knobs: { rateLimitRps: 5 } })`.
 */
export async function startCatalog(options: CatalogOptions = {}): Promise<RunningCatalog> {
  const seed = options.seed ?? 42;
  const data = new CatalogData(seed, options.itemCount ?? 5000);
  const control = new CatalogControl(options.knobs ?? {}, seededRandom(seed + 1));
  const server = createServer((req, res) => {
    handle(req, res, data, control).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: String(error) });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return { url: `http://${shownHost}:${port}`, port, control, data, stop };
}

const V1_ROUTES: Record<string, CatalogEndpoint> = { '/v1/top': 'top', '/v1/items': 'items' };

async function handle(req: IncomingMessage, res: ServerResponse, data: CatalogData, control: CatalogControl): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://catalog');
  if (url.pathname === '/control') return handleControl(req, res, control);
  const endpoint = V1_ROUTES[url.pathname];
  if (endpoint === undefined && url.pathname !== '/healthz') return sendJson(res, 404, { error: 'not_found', message: `No route ${url.pathname}` });
  if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed', message: 'Use GET' }, { allow: 'GET' });

  const fault = control.admit(endpoint ?? 'healthz');
  // An outage answers nothing: the connection just closes, as when the upstream process dies.
  if (fault.kind === 'down') return void req.socket.destroy();
  if (endpoint === undefined) return sendJson(res, 200, { status: 'ok' });
  const latency = control.latencyFor(endpoint);
  if (latency > 0) await sleep(latency);
  if (fault.kind === 'rateLimited') {
    return sendJson(res, 429, { error: 'rate_limited', message: 'Too many requests' }, { 'retry-after': String(fault.retryAfterSeconds) });
  }
  if (fault.kind === 'serverError') return sendJson(res, 503, { error: 'unavailable', message: 'Injected server error' });
  return endpoint === 'top' ? serveTop(url, res, data) : serveItems(url, res, data);
}
