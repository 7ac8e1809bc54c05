import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessOptions {
  /** Shown in progress and error messages. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** @default the current directory */
  cwd?: string;
  /** stdout and stderr go here, so a failed start can show what the process said. */
  logFile: string;
  /** Polled until it answers 2xx; the process counts as started then. */
  readyUrl: string;
  /** @default 30000 */
  readyTimeoutMs?: number;
}

export interface StartedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** Spawns a long-running process of the local stack and waits until its readiness URL answers. */
export async function startProcess(options: ProcessOptions): Promise<StartedProcess> {
  const log = createWriteStream(options.logFile);
  const child = spawn(options.command, options.args, {
    cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exitCode: number | null | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    });
    // Not startable at all (e.g. the binary is missing): no 'exit' follows.
    child.once('error', (error) => {
      spawnError = error;
      exitCode ??= -1;
      resolve();
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (exitCode === undefined) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
      log.end();
    })());

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exitCode !== undefined) break;
    if (await answers(options.readyUrl)) return { name: options.name, pid: child.pid!, logFile: options.logFile, stop };
    if (Date.now() > deadline) break;
    await sleep(200);
  }
  await stop();
  const said = await readFile(options.logFile, 'utf8').catch(() => '');
  const why = spawnError?.message ?? (exitCode === undefined ? `not ready at ${options.readyUrl} in time` : `exited with code ${exitCode}`);
  throw new Error(`${options.name} ${why}. Its last output:\n${said.split('\n').slice(-20).join('\n')}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
