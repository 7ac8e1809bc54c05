import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One alert as Alertmanager's webhook sends it (payload version 4). */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint?: string;
}

/** One delivery: the path it was posted to (`/alerts/critical`, `/alerts/warning`) and its alerts. */
export interface Notification {
  receivedAt: string;
  path: string;
  receiver: string;
  status: string;
  alerts: WebhookAlert[];
}

export interface WebhookReceiverOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Where each received alert goes as one JSON line. @default console.log */
  log?: (line: string) => void;
  /** Oldest notifications are dropped beyond this many. @default 1000 */
  keep?: number;
}

export interface RunningWebhookReceiver {
  url: string;
  port: number;
  /** Every notification received so far, oldest first. */
  notifications(): Notification[];
  /** Resolves with the first received alert that matches, waiting for it up to `timeoutMs`. */
  waitForAlert(matches: (alert: WebhookAlert) => boolean, timeoutMs: number): Promise<WebhookAlert>;
  /** Closes the server. Safe to call twice. */
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

/**
 * The alert webhook receiver of the stack: Alertmanager POSTs notifications to any path; each alert is logged as a
 * JSON line (the "did it arrive" check of `docker compose logs webhook`) and kept, so `GET /alerts` and tests can
 * read them back. Example: `const hook = await startWebhookReceiver(); …; await hook.waitForAlert((a) => …, 60_000)`.
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<RunningWebhookReceiver> {
  const log = options.log ?? ((line: string) => console.log(line));
  const keep = options.keep ?? 1000;
  const received: Notification[] = [];
  const waiters = new Set<() => void>();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 400, { error: 'bad_request', message: String(error) }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://webhook').pathname;
    if (req.method === 'GET' && path === '/alerts') return reply(res, 200, received);
    if (req.method !== 'POST') return reply(res, 405, { error: 'method_not_allowed', message: 'POST alerts, GET /alerts' });
    const notification = toNotification(path, JSON.parse(await readBody(req)));
    received.push(notification);
    if (received.length > keep) received.shift();
    for (const alert of notification.alerts) {
      log(JSON.stringify({ msg: 'alert', path, receiver: notification.receiver, ...alert }));
    }
    for (const wake of waiters) wake();
    reply(res, 200, { status: 'ok' });
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let stopped: Promise<void> | undefined;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    notifications: () => [...received],
    waitForAlert(matches, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = received.flatMap((n) => n.alerts).find(matches);
          if (found === undefined) return;
          done();
          resolve(found);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching alert within ${timeoutMs} ms; received: ${JSON.stringify(received)}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    stop: () =>
      (stopped ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function toNotification(path: string, body: unknown): Notification {
  const payload = body as Partial<{ receiver: string; status: string; alerts: WebhookAlert[] }>;
  if (!Array.isArray(payload.alerts)) throw new Error('not an Alertmanager notification: no alerts array');
  return {
    receivedAt: new Date().toISOString(),
    path,
    receiver: String(payload.receiver ?? ''),
    status: String(payload.status ?? ''),
    alerts: payload.alerts,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY_BYTES) throw new Error(`body larger than ${MAX_BODY_BYTES} bytes`);
  }
  return text;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
