import { strict as assert } from 'node:assert';
import { totalmem } from 'node:os';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseNetworkIo } from '../../app/src/procfs/networkIo.ts';
import { parseSystemCpuTimes } from '../../app/src/procfs/systemCpuTimes.ts';
import { ResourceMonitor } from '../../app/src/profiling/ResourceMonitor.ts';

/** Spins until this process has used `cpuMs` of CPU time (however long a busy machine makes that take). */
async function burnCpu(cpuMs: number): Promise<void> {
  const used = (): number => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
  const target = used() + cpuMs;
  while (used() < target) {
    const sliceEnd = performance.now() + 20;
    while (performance.now() < sliceEnd) Math.sqrt(Math.random());
    await new Promise((resolve) => setImmediate(resolve)); // lets the sampling timer fire
  }
}

test('process CPU rises during a busy loop and falls while idle; stop() returns the samples and a summary', async () => {
  const monitor = new ResourceMonitor();
  monitor.start(50);
  await sleep(300);
  const busySince = Date.now() + 60;
  await burnCpu(400);
  const { samples, summary } = monitor.stop();
  assert.ok(samples.length >= 5, `${samples.length} samples`);
  const median = (values: number[]): number => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const idle = samples.filter((s) => s.time < busySince - 100).map((s) => s.processCpuPercent);
  const busy = samples.filter((s) => s.time > busySince).map((s) => s.processCpuPercent);
  // Medians, and a low bar: other test processes share this machine's cores, so a busy loop may get much less than a
  // whole one, and the first sample carries the start of the test.
  assert.ok(median(busy) > 2 * median(idle) + 5, `idle ${idle.join(', ')}; busy ${busy.join(', ')}`);
  assert.ok(summary.processCpuPercent.avg > 0 && summary.processCpuPercent.avg <= summary.processCpuPercent.max);
  for (const sample of samples) {
    assert.ok(sample.rssBytes > 10_000_000 && sample.heapUsedBytes > 1_000_000 && sample.heapUsedBytes < sample.rssBytes);
    assert.ok(sample.systemMemoryUsedBytes > 0 && sample.systemMemoryUsedBytes < totalmem());
    assert.ok(sample.systemCpuPercent !== null && sample.systemCpuPercent >= 0 && sample.systemCpuPercent <= 100);
    for (const io of [sample.diskReadBytes, sample.diskWriteBytes, sample.networkReceiveBytes, sample.networkTransmitBytes]) assert.ok(io !== null && io >= 0);
  }
  assert.equal(summary.sampleCount, samples.length);
  assert.ok(summary.durationMs >= 650, `${summary.durationMs} ms`);
  assert.ok(summary.systemCpuPercent !== null && summary.systemCpuPercent.max > 0);
  assert.equal(summary.rssBytes.max, Math.max(...samples.map((s) => s.rssBytes)));
  assert.equal(summary.networkReceiveBytes, samples.reduce((sum, s) => sum + s.networkReceiveBytes!, 0));
});

test('network I/O counts loopback traffic', async () => {
  const monitor = new ResourceMonitor();
  monitor.start(1000);
  const { createServer } = await import('node:http');
  const server = createServer((_, response) => response.end('x'.repeat(200_000))).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await (await fetch(`http://127.0.0.1:${port}/`)).text();
  server.close();
  const { summary } = monitor.stop();
  assert.ok(summary.networkReceiveBytes! >= 200_000 && summary.networkTransmitBytes! >= 200_000, JSON.stringify(summary));
});

test('stop() before start() is an error', () => {
  assert.throws(() => new ResourceMonitor().stop(), /before start/);
});

test('/proc/net/dev and /proc/stat parse into byte and tick counters', () => {
  const netDev = [
    'Inter-|   Receive                                                |  Transmit',
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
    '    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0',
    '  eth0:     500       5    0    0    0     0          0         0      250       3    0    0    0     0       0          0',
  ].join('\n');
  assert.deepEqual(parseNetworkIo(netDev), { receiveBytes: 1500, transmitBytes: 1250 });
  assert.deepEqual(parseSystemCpuTimes('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n'), { totalTicks: 1000, busyTicks: 150 });
});
