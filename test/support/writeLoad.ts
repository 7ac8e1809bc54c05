import pg from 'pg';
import { httpAnswer, type HttpOutcome } from './httpAnswer.ts';

/** A task's title as the database must hold it; `null`: the task must be gone. */
type TaskState = string | null;

interface TrackedTask {
  /** States the database may hold: one after acknowledged writes only; two after a write without an answer. */
  allowed: TaskState[];
}

export interface WriteLoadOptions {
  baseUrl: string;
  /** One worker per token, each writing only its own user's tasks. */
  tokens: string[];
  /** A request without an outcome after this long is recorded as TIMEOUT. */
  requestTimeoutMs: number;
  /** See HttpAnswerOptions.freshConnection. @default false */
  freshConnections?: boolean;
  /** A worker stops at its first refused connection (the server has closed its listener). @default false */
  stopOnRefusal?: boolean;
}

export interface WriteLoad {
  /** Every request's outcome, in the order the outcomes came. */
  outcomes: HttpOutcome[];
  /** Asks the workers to stop and resolves when their last requests have their outcomes. */
  stop(): Promise<void>;
  /** Writes answered 2xx (201 create, 200 update, 204 delete). */
  acknowledged(): number;
  /**
   * Compares the tasks the workers wrote with the rows read back (`id → title`): a task whose row does not hold a
   * state its acknowledged writes allow has lost a write.
   */
  lost(rows: Map<number, string>): { checked: number; lost: string[] };
}

/**
 * Bounded write load on the task API: each worker, in a loop, creates two tasks, renames one, deletes one (of its own
 * acknowledged tasks), and keeps a ledger, so a test can read back every acknowledged write after a fault. A write
 * without a 2xx may or may not have committed; its task is then allowed either state and left alone from then on.
 */
export function startWriteLoad(options: WriteLoadOptions): WriteLoad {
  const outcomes: HttpOutcome[] = [];
  const tasks = new Map<number, TrackedTask>();
  let stopping = false;
  const send = async (method: string, path: string, token: string, body?: unknown): Promise<HttpOutcome> => {
    const outcome = await httpAnswer(method, options.baseUrl + path, {
      token,
      body,
      timeoutMs: options.requestTimeoutMs,
      freshConnection: options.freshConnections ?? false,
    });
    outcomes.push(outcome);
    return outcome;
  };
  const worker = async (token: string, index: number): Promise<void> => {
    const mine: number[] = [];
    for (let n = 0; !stopping; n++) {
      const step = n % 4;
      let outcome: HttpOutcome;
      if (step < 2 || mine.length === 0) {
        const title = `w${index}-t${n}`;
        outcome = await send('POST', '/api/tasks', token, { title });
        if (outcome.status === 201) {
          tasks.set(outcome.body.id, { allowed: [title] });
          mine.push(outcome.body.id);
        }
      } else {
        const id = mine.splice(n % mine.length, 1)[0]!;
        const task = tasks.get(id)!;
        const next: TaskState = step === 2 ? `w${index}-t${n}-renamed` : null;
        outcome = next === null ? await send('DELETE', `/api/tasks/${id}`, token) : await send('PATCH', `/api/tasks/${id}`, token, { title: next });
        const acknowledged = outcome.status === (next === null ? 204 : 200);
        task.allowed = acknowledged ? [next] : [...task.allowed, next];
        if (acknowledged && next !== null) mine.push(id);
      }
      if (options.stopOnRefusal === true && outcome.error === 'ECONNREFUSED') return;
    }
  };
  const running = Promise.all(options.tokens.map((token, index) => worker(token, index)));
  return {
    outcomes,
    stop: async () => {
      stopping = true;
      await running;
    },
    acknowledged: () =>
      outcomes.filter((o) => (o.method === 'POST' && o.status === 201) || (o.method === 'PATCH' && o.status === 200) || (o.method === 'DELETE' && o.status === 204)).length,
    lost(rows) {
      const lost: string[] = [];
      for (const [id, task] of tasks) {
        const actual = rows.get(id) ?? null;
        if (!task.allowed.includes(actual)) lost.push(`task ${id}: ${JSON.stringify(actual)} instead of ${task.allowed.map((s) => JSON.stringify(s)).join(' or ')}`);
      }
      return { checked: tasks.size, lost };
    },
  };
}

/** Outcomes counted by what they were: `201`, `503 DATABASE_UNAVAILABLE`, `ECONNREFUSED`, … */
export function countOutcomes(outcomes: HttpOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.status === undefined ? String(o.error) : o.code === undefined ? String(o.status) : `${o.status} ${o.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Every task's title as the database holds it now (`id → title`), read straight from PostgreSQL for WriteLoad.lost(). */
export async function taskTitles(databaseUrl: string): Promise<Map<number, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: number; title: string }>('SELECT id::int AS id, title FROM tasks');
    return new Map(rows.map((row) => [row.id, row.title]));
  } finally {
    await client.end();
  }
}
