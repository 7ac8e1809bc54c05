import type { Logger } from './logger.ts';

/**
 * Time the exit hooks (telemetry's final flush) get after the graceful stop: the process exits within
 * SHUTDOWN_TIMEOUT_MS plus this margin, whatever a hook does.
 */
export const EXIT_HOOKS_TIMEOUT_MS = 2_000;

type ExitHook = () => Promise<void>;
const hooks = new Set<ExitHook>();

/**
 * Registers work for the moment just before the process exits on SIGTERM/SIGINT, and returns a function that
 * removes it. Telemetry (loaded by `node --import`, never imported by the app) registers its flush here, so spans go
 * out even when something keeps the event loop alive; without telemetry nothing is registered.
 */
export function onProcessExit(hook: ExitHook): () => void {
  hooks.add(hook);
  return () => void hooks.delete(hook);
}

/**
 * The exit sequence of main.ts: `stop()` (the service's graceful stop) for at most `timeoutMs`, then every exit
 * hook for at most EXIT_HOOKS_TIMEOUT_MS, then `process.exit`: 0, or 1 when the stop failed. A stop or hook that
 * hangs only costs its time limit; a failing hook does not change the exit code.
 */
export async function exitAfter(stop: () => Promise<void>, timeoutMs: number, logger: Logger): Promise<never> {
  const started = performance.now();
  let code = 0;
  try {
    if ((await within(stop(), timeoutMs)) === 'timed out') logger.warn({ timeoutMs }, 'graceful stop did not finish in time; exiting anyway');
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    code = 1;
  }
  await within(Promise.allSettled([...hooks].map(async (hook) => hook())), EXIT_HOOKS_TIMEOUT_MS);
  logger.info({ code, durationMs: Math.round(performance.now() - started) }, 'exiting');
  process.exit(code);
}

async function within(work: Promise<unknown>, ms: number): Promise<'done' | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => (timer = setTimeout(resolve, ms, 'timed out')));
  try {
    return await Promise.race([work.then(() => 'done' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
