import type autocannon from 'autocannon';
import type { BenchApp } from '../support/startBenchApp.ts';

/** What one bench:overhead workload drives against an app: the requests autocannon sends in turn. */
export interface Workload {
  key: 'mixed' | 'list';
  title: string;
  requests(fixture: BenchFixture): autocannon.Request[];
}

/** A started app with its bench user (startBenchApp: 3 tagged tasks, warm recommendations) and a second user. */
export interface BenchFixture extends BenchApp {
  /** A user with exactly 30 tasks, for the list workload. */
  listToken: string;
}

/** Adds the list workload's user: exactly 30 tasks, half of them tagged. */
export async function withListUser(app: BenchApp, name: string): Promise<BenchFixture> {
  const post = (path: string, body: unknown, token?: string) =>
    fetch(app.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    }).then((response) => response.json() as Promise<{ token: string }>);
  const { token: listToken } = await post('/api/users', { name: 'Lister', email: `list-${name}@example.com` });
  for (let n = 0; n < 30; n++) await post('/api/tasks', { title: `task ${n}`, tags: n % 2 === 0 ? ['jazz'] : [] }, listToken);
  return Object.assign(app, { listToken });
}

export const WORKLOADS: Workload[] = [
  {
    key: 'mixed',
    title: 'list, detail, create, recommendations (cache) in turn',
    requests: ({ taskId }) => [
      { method: 'GET', path: '/api/tasks?limit=20' },
      { method: 'GET', path: `/api/tasks/${taskId}` },
      { method: 'POST', path: '/api/tasks', body: JSON.stringify({ title: 'bench task', tags: ['jazz'] }) },
      { method: 'GET', path: '/api/recommendations' },
    ],
  },
  {
    key: 'list',
    title: 'the task list alone (GET /api/tasks?limit=20, one user with 30 tasks), the cheapest endpoint',
    requests: ({ listToken }) => [{ method: 'GET', path: '/api/tasks?limit=20', headers: { authorization: `Bearer ${listToken}` } }],
  },
];
