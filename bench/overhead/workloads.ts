import autocannon from 'autocannon';

/** What one bench:overhead workload drives against an app: the requests autocannon sends in turn. */
export interface Workload {
  key: 'mixed' | 'list';
  title: string;
  requests(fixture: BenchFixture): autocannon.Request[];
}

/** The users and tasks a started variant was seeded with. */
export interface BenchFixture {
  /** A user with 3 tasks (2 jazz, 1 rock), warm recommendations, and the tasks the mixed workload creates. */
  mixedToken: string;
  taskId: number;
  /** A user with exactly 30 tasks, for the list workload. */
  listToken: string;
}

export const WORKLOADS: Workload[] = [
  {
    key: 'mixed',
    title: 'list, detail, create, recommendations (cache) in turn',
    requests: ({ mixedToken, taskId }) => {
      const headers = { authorization: `Bearer ${mixedToken}`, 'content-type': 'application/json' };
      return [
        { method: 'GET', path: '/api/tasks?limit=20', headers },
        { method: 'GET', path: `/api/tasks/${taskId}`, headers },
        { method: 'POST', path: '/api/tasks', headers, body: JSON.stringify({ title: 'bench task', tags: ['jazz'] }) },
        { method: 'GET', path: '/api/recommendations', headers },
      ];
    },
  },
  {
    key: 'list',
    title: 'the task list alone (GET /api/tasks?limit=20, one user with 30 tasks), the cheapest endpoint',
    requests: ({ listToken }) => [{ method: 'GET', path: '/api/tasks?limit=20', headers: { authorization: `Bearer ${listToken}` } }],
  },
];
