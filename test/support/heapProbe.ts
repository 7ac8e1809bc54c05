import type { ChildProcess } from 'node:child_process';

/** Node arguments that make a process answer SIGUSR2 with its heap after a full GC (reportHeapOnSignal.ts). */
export const HEAP_PROBE_ARGS = ['--expose-gc', '--import', './test/support/reportHeapOnSignal.ts'];

/**
 * Heap in use after a full garbage collection, in bytes, of a process started with HEAP_PROBE_ARGS, whose stderr
 * lines are collected into `stderrLines`.
 */
export async function heapUsedAfterGc(child: ChildProcess, stderrLines: string[]): Promise<number> {
  const before = stderrLines.length;
  child.kill('SIGUSR2');
  for (let attempt = 0; attempt < 100; attempt++) {
    const line = stderrLines.slice(before).find((text) => text.startsWith('heap-used '));
    if (line !== undefined) return Number(line.slice('heap-used '.length));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the process did not report its heap');
}
