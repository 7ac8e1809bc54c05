/** What one simulated user can do: its token and the ids of the tasks it owns. */
export interface LoadUser {
  token: string;
  taskIds: number[];
}

/** One request the load generator sends; `expect` is the status a healthy app answers. */
export interface LoadRequest {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  expect: number;
}

const TAGS = ['jazz', 'rock', 'focus', 'travel', 'books', 'sport', 'cooking', 'film'];

function pick<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length)] as T;
}

export function newTaskBody(random: () => number): { title: string; tags: string[] } {
  return { title: `load task ${Math.floor(random() * 1e6)}`, tags: [pick(TAGS, random), pick(TAGS, random)] };
}

/**
 * The mix of requests, with weights: mostly reads, some writes, recommendations, and a few requests that must fail
 * (404 of a task that does not exist, 400 of an invalid body, 404 of an unknown route) so that the error panels and
 * the 4xx series have data too.
 */
const MIX: Array<[weight: number, make: (user: LoadUser, random: () => number) => LoadRequest]> = [
  [30, () => ({ name: 'list', method: 'GET', path: '/api/tasks?limit=20', expect: 200 })],
  [20, (user, random) => ({ name: 'detail', method: 'GET', path: `/api/tasks/${pick(user.taskIds, random)}`, expect: 200 })],
  [10, (_user, random) => ({ name: 'create', method: 'POST', path: '/api/tasks', body: newTaskBody(random), expect: 201 })],
  [10, (user, random) => ({
    name: 'update', method: 'PATCH', path: `/api/tasks/${pick(user.taskIds, random)}`,
    body: { status: pick(['todo', 'doing', 'done'], random) }, expect: 200,
  })],
  [20, () => ({ name: 'recommendations', method: 'GET', path: '/api/recommendations?limit=5', expect: 200 })],
  [4, () => ({ name: 'missing task', method: 'GET', path: '/api/tasks/999999999', expect: 404 })],
  [4, () => ({ name: 'invalid task', method: 'POST', path: '/api/tasks', body: { title: '' }, expect: 400 })],
  [2, () => ({ name: 'unknown route', method: 'GET', path: '/api/nothing-here', expect: 404 })],
];
const TOTAL_WEIGHT = MIX.reduce((sum, [weight]) => sum + weight, 0);

/** Draws the next request of the mix for `user`. */
export function nextRequest(user: LoadUser, random: () => number): LoadRequest {
  let roll = random() * TOTAL_WEIGHT;
  for (const [weight, make] of MIX) {
    roll -= weight;
    if (roll < 0) return make(user, random);
  }
  return MIX[0]![1](user, random);
}
