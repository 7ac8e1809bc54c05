import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { CPU_MS_READING_ERROR, cpuMs, cpuMsByThreadName } from '../support/processStats.ts';

/** Spins until the calling thread itself has used `ms` more of CPU (its own /proc stat), whatever the machine's load. */
function spinOwnThread(ms: number): void {
  const fs = process.getBuiltinModule('node:fs');
  const own = () => {
    const fields = fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  const until = own() + ms;
  while (own() < until);
}

test('CPU time by thread name: a busy main thread shows under MainThread, within the whole process', () => {
  // The process's readings enclose the thread's; each difference is off by less than the reading error, so the thread's
  // may pass the process's by less than twice that (a CI run failed on a strict comparison).
  const totalBefore = cpuMs(process.pid);
  const before = cpuMsByThreadName(process.pid);
  spinOwnThread(200);
  const spent = (cpuMsByThreadName(process.pid).get('MainThread') ?? 0) - (before.get('MainThread') ?? 0);
  const total = cpuMs(process.pid) - totalBefore;
  assert.ok(spent >= 200, `MainThread ${spent} ms`);
  assert.ok(spent < total + 2 * CPU_MS_READING_ERROR, `MainThread ${spent} ms, no more than the whole process's ${total} ms`);
});

test('CPU time by thread name: named worker threads are counted apart from the main thread, threads of one name summed', async () => {
  const source = `(${spinOwnThread.toString()})(200); require('node:worker_threads').parentPort.postMessage('done'); setInterval(() => {}, 60_000);`;
  const workers = [0, 1].map(() => new Worker(source, { eval: true, name: 'spinner' }));
  try {
    // Read while the threads still exist (an ended thread's time leaves /proc/<pid>/task with it).
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
    const spinners = cpuMsByThreadName(process.pid).get('spinner') ?? 0;
    assert.ok(spinners >= 400, `spinner threads ${spinners} ms`);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
});
