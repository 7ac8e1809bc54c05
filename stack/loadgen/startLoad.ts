import { newTaskBody, nextRequest, type LoadRequest, type LoadUser } from './loadActions.ts';

export interface LoadOptions {
  /** Base URL of the app, e.g. `http://127.0.0.1:3000`. */
  targetUrl: string;
  /** Requests started per second. @default 10 */
  rate?: number;
  /** Simulated users, each with its own token and tasks. @default 4 */
  users?: number;
  /** Most requests awaiting an answer at once; a tick beyond it is skipped, so a slow app is not flooded. @default 20 */
  maxInFlight?: number;
  /** Stops by itself after this long. @default no limit */
  durationMs?: number;
  /** Per-request timeout. @default 10000 */
  timeoutMs?: number;
  /** @default Math.random */
  random?: () => number;
}

export interface LoadStats {
  sent: number;
  /** Ticks skipped because `maxInFlight` requests were still waiting. */
  skipped: number;
  /** Answers by `name status`, e.g. `{"list 200": 120, "missing task 404": 6}`. */
  byRequest: Record<string, number>;
  /** Answers whose status was not the one a healthy app gives (5xx, timeouts, 503 from a down catalog, ...). */
  unexpected: number;
  networkErrors: number;
}

export interface RunningLoad {
  stats(): LoadStats;
  /** Resolves when the load has stopped (by `stop()` or after `durationMs`) and every request has settled. */
  done: Promise<void>;
  /** Stops starting requests and waits for those in flight. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A bounded, steady load on the real HTTP API: registers users, gives them tasks, then sends a weighted mix of
 * list/detail/create/update/recommendation requests and a few deliberate 4xx at `rate` per second. Used by the
 * compose stack, `npm run stack:local` and the stack tests.
 * Example: `const load = await startLoad({ targetUrl: app.url, rate: 20, durationMs: 30_000 }); await load.done;`
 */
export async function startLoad(options: LoadOptions): Promise<RunningLoad> {
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxInFlight = options.maxInFlight ?? 20;
  const stats: LoadStats = { sent: 0, skipped: 0, byRequest: {}, unexpected: 0, networkErrors: 0 };
  const send = async (token: string | undefined, request: LoadRequest): Promise<Response> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const body = request.body === undefined ? null : JSON.stringify(request.body);
    return fetch(options.targetUrl + request.path, { method: request.method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
  };

  const users: LoadUser[] = [];
  for (let i = 0; i < (options.users ?? 4); i++) users.push(await createUser(send, random));

  const inFlight = new Set<Promise<void>>();
  const fire = (): void => {
    if (inFlight.size >= maxInFlight) {
      stats.skipped++;
      return;
    }
    const user = users[Math.floor(random() * users.length)]!;
    const request = nextRequest(user, random);
    stats.sent++;
    // The timeout can also strike while the body is read: any failure, before or after the status, is a network error.
    const pending = send(user.token, request).then(async (response) => {
      const text = await response.text();
      const key = `${request.name} ${response.status}`;
      stats.byRequest[key] = (stats.byRequest[key] ?? 0) + 1;
      if (response.status !== request.expect) stats.unexpected++;
      else if (request.name === 'create') user.taskIds.push((JSON.parse(text) as { id: number }).id);
    }).catch(() => void stats.networkErrors++);
    inFlight.add(pending);
    void pending.finally(() => inFlight.delete(pending));
  };

  const ticker = setInterval(fire, 1000 / (options.rate ?? 10));
  let stopped: Promise<void> | undefined;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      clearInterval(ticker);
      clearTimeout(deadline);
      await Promise.allSettled([...inFlight]);
      finish();
    })();
    return stopped;
  };
  const deadline = options.durationMs === undefined ? undefined : setTimeout(() => void stop(), options.durationMs);
  return { stats: () => structuredClone(stats), done, stop };
}

type Send = (token: string | undefined, request: LoadRequest) => Promise<Response>;

async function createUser(send: Send, random: () => number): Promise<LoadUser> {
  const email = `load.${Date.now().toString(36)}.${Math.floor(random() * 1e9).toString(36)}@example.com`;
  const registered = await send(undefined, { name: 'register', method: 'POST', path: '/api/users', body: { name: 'Load', email }, expect: 201 });
  if (registered.status !== 201) throw new Error(`registering a load user failed: ${registered.status} ${await registered.text()}`);
  const { token } = (await registered.json()) as { token: string };
  const user: LoadUser = { token, taskIds: [] };
  for (let i = 0; i < 5; i++) {
    const created = await send(token, { name: 'create', method: 'POST', path: '/api/tasks', body: newTaskBody(random), expect: 201 });
    if (created.status !== 201) throw new Error(`creating a load task failed: ${created.status} ${await created.text()}`);
    user.taskIds.push(((await created.json()) as { id: number }).id);
  }
  return user;
}
