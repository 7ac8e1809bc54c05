import type { ProfiledStack } from './startProfiledStack.ts';

/** What seed 000's report measured for the same function, to compare with. */
export interface SeedNumbers {
  function: string;
  ms: number;
  mib: number;
}

/** One endpoint as the report drives it: a request that throws unless it got the answer it expects. */
export interface ProfiledEndpoint {
  name: string;
  request: string;
  seed?: SeedNumbers;
  /** Untimed and unprofiled work before each request (flushing the cache for a cold call). */
  before?: () => Promise<void>;
  send: (i: number) => Promise<void>;
}

/** The endpoints of the report, in its order: a trivial baseline, seed 000's four, and recommendations cold and cached. */
export function profiledEndpoints(stack: ProfiledStack): ProfiledEndpoint[] {
  const { taskIds } = stack;
  const call = (method: string, path: string, expected: number, body?: unknown) => requestOf(stack, method, path, expected, body);
  const pick = (i: number): number => taskIds[(i * 7919) % taskIds.length]!;
  const recommendations = (source: string) => async () => {
    const { source: actual } = (await call('GET', '/api/recommendations?limit=10', 200)) as { source: string };
    if (actual !== source) throw new Error(`recommendations came from ${actual}, expected ${source}`);
  };
  return [
    { name: 'baseline (health check)', request: 'GET /healthz', send: async () => void (await call('GET', '/healthz', 200)) },
    {
      name: 'task list',
      request: 'GET /api/tasks?limit=20',
      seed: { function: 'get_user_tasks_list', ms: 124, mib: 2.1 },
      send: async () => void (await call('GET', '/api/tasks?limit=20', 200)),
    },
    {
      name: 'task detail',
      request: 'GET /api/tasks/:id',
      seed: { function: 'get_user_task_detail', ms: 11, mib: 0 },
      send: async (i) => void (await call('GET', `/api/tasks/${pick(i)}`, 200)),
    },
    {
      name: 'create task',
      request: 'POST /api/tasks',
      seed: { function: 'create_task', ms: 40, mib: 0.2 },
      send: async (i) => void (await call('POST', '/api/tasks', 201, { title: `profiled task ${i}`, tags: ['jazz'] })),
    },
    {
      name: 'update task',
      request: 'PATCH /api/tasks/:id',
      seed: { function: 'update_task', ms: 20, mib: 0.1 },
      send: async (i) => void (await call('PATCH', `/api/tasks/${pick(i + 1)}`, 200, { status: ['todo', 'doing', 'done'][i % 3] })),
    },
    { name: 'recommendations, cold', request: 'GET /api/recommendations (cache flushed)', before: stack.flushCatalogCache, send: recommendations('catalog') },
    { name: 'recommendations, cached', request: 'GET /api/recommendations', send: recommendations('cache') },
  ];
}

async function requestOf(stack: ProfiledStack, method: string, path: string, expected: number, body?: unknown): Promise<unknown> {
  const response = await fetch(stack.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${stack.token}`, 'accept-encoding': 'gzip', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const json: unknown = await response.json();
  if (response.status !== expected) throw new Error(`${method} ${path} answered ${response.status}, expected ${expected}: ${JSON.stringify(json)}`);
  return json;
}
