import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { startLoad, type RunningLoad } from './startLoad.ts';

/**
 * `node dist/stack/loadgen/main.js`: the load generator service of docker-compose.yml. Waits for the app, then runs
 * until stopped, printing its counts every 10 s and serving them as JSON on LOADGEN_STATUS_PORT (its healthcheck).
 */
const env = z
  .object({
    LOADGEN_TARGET_URL: z.url().default('http://127.0.0.1:3000'),
    LOADGEN_RATE: z.coerce.number().positive().max(1000).default(10),
    LOADGEN_USERS: z.coerce.number().int().min(1).max(100).default(4),
    LOADGEN_STATUS_PORT: z.coerce.number().int().min(0).max(65535).default(9000),
  })
  .parse(process.env);

let load: RunningLoad | undefined;
const status = createServer((_req, res) => {
  res.writeHead(load ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify(load ? load.stats() : { status: 'waiting for the app' }));
});
status.listen(env.LOADGEN_STATUS_PORT, '0.0.0.0');

while (load === undefined) {
  try {
    load = await startLoad({ targetUrl: env.LOADGEN_TARGET_URL, rate: env.LOADGEN_RATE, users: env.LOADGEN_USERS });
  } catch (error) {
    console.log(JSON.stringify({ msg: 'app not ready, retrying in 2 s', error: String(error) }));
    await sleep(2_000);
  }
}
console.log(JSON.stringify({ msg: 'load running', target: env.LOADGEN_TARGET_URL, rate: env.LOADGEN_RATE }));
const report = setInterval(() => console.log(JSON.stringify({ msg: 'load', ...load?.stats() })), 10_000);
const stop = (): void => {
  clearInterval(report);
  status.close();
  void load?.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
