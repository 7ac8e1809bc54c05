import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../stack/local/freePort.ts';

const run = promisify(execFile);

export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`; the same after a restart. */
  url: string;
  /** Starts the server (again, on the same port and data) and resolves once it accepts connections. */
  start(): Promise<void>;
  /** Crashes the server: `pg_ctl stop -m immediate`, no checkpoint; the next start runs crash recovery from WAL. */
  crash(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  remove(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the test's own in a temp directory, on a free port of 127.0.0.1, durable as in production
 * (fsync, synchronous_commit and full_page_writes on), so a crash loses nothing that was committed. As root the
 * binaries run as the `postgres` user, like test/run does.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = await postgresBin();
  const dir = await mkdtemp(join(tmpdir(), 'pg-fault-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await chown(dir, ...(await postgresIds()));
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { cwd: '/' }) : run(join(bin, tool), args, { cwd: '/' });
  // --no-sync only skips initdb's own final flush; the server below runs with fsync on.
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c full_page_writes=on`;
  const postgres: ThrowawayPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async () => void (await pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start', '-o', options])),
    crash: async () => void (await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])),
    async remove() {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  await postgres.start();
  return postgres;
}

/** The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<major>/bin). */
async function postgresBin(): Promise<string> {
  const majors = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(a) - Number(b));
  if (majors.length === 0) throw new Error('no PostgreSQL under /usr/lib/postgresql: run the tests through ./test/run');
  return `/usr/lib/postgresql/${majors.at(-1)}/bin`;
}

async function postgresIds(): Promise<[number, number]> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return [Number(uid), Number(gid)];
}
