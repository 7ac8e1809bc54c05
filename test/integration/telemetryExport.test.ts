import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { freePort } from '../../stack/local/freePort.ts';
import { ApiClient } from '../support/apiClient.ts';
import { startOtlpReceiver } from '../support/otlpReceiver.ts';
import { spawnApp, type SpawnedApp } from '../support/spawnApp.ts';

/**
 * Telemetry never harms the app: the app in its own process, started as `npm start` does (`--import` the telemetry
 * entry), every trace sampled, with the collector refusing connections, hanging, answering, or telemetry off.
 */
const TELEMETRY = ['./app/src/telemetry/register.ts'];
const EXPORT_FAILING = /trace export failing/;
const LOG_EXPORT_FAILING = /log export failing/;

/**
 * Exports every 100 ms and gives up on a hanging collector after 2 s, so that failures show within the test's time
 * and a request that waited on the collector would stand out.
 */
const EXPORT_TIMEOUT_MS = 2000;
const FAST_EXPORT_ENV = {
  OTEL_TRACES_SAMPLER: 'always_on',
  OTEL_BSP_SCHEDULE_DELAY: '100',
  OTEL_BLRP_SCHEDULE_DELAY: '100',
  OTEL_EXPORTER_OTLP_TIMEOUT: String(EXPORT_TIMEOUT_MS),
};

/** A collector that accepts connections and reads what is sent, but never answers. */
async function startSilentCollector(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.resume();
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** `count` task-list requests, `concurrency` at a time; each one's latency in ms. */
async function drive(api: ApiClient, token: string, count: number, concurrency = 4): Promise<number[]> {
  const latencies: number[] = [];
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < count) {
        sent++;
        const started = performance.now();
        const { status } = await api.get('/api/tasks?limit=5', { token });
        latencies.push(performance.now() - started);
        assert.equal(status, 200);
      }
    }),
  );
  return latencies;
}

function percentile(values: number[], share: number): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
}

const MB = 2 ** 20;

/**
 * Drives a few thousand requests against an app whose collector is broken: answers stay fast, memory levels off
 * (the batch queues are bounded: spans and log records beyond them are dropped), one warning per signal, and SIGTERM
 * still exits 0.
 * Retained memory is the heap after a full collection: RSS also grows while V8 enlarges its heap under load,
 * telemetry or not (about +50 to +100 MB over these requests with telemetry off), so RSS only gets a loose cap.
 */
async function assertUnharmed(t: TestContext, app: SpawnedApp): Promise<void> {
  t.after(() => app.stopWith('SIGKILL'));
  const api = new ApiClient(app.url);
  const { token } = await api.newUser('Loaded');
  await api.post('/api/tasks', { title: 'listed' }, { token });
  await drive(api, token, 1000); // warm-up: fills the span queue (3 spans a request) and the JIT
  const heapBefore = await app.heapUsedAfterGc();
  const latencies = await drive(api, token, 3000);
  const heapGrowth = ((await app.heapUsedAfterGc()) - heapBefore) / MB;
  const rss = app.rssBytes() / MB;
  const [p50, p99] = [percentile(latencies, 0.5), percentile(latencies, 0.99)];
  t.diagnostic(`retained heap +${heapGrowth.toFixed(1)} MB over 3000 requests, RSS ${rss.toFixed(0)} MB; p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
  assert.ok(heapGrowth < 10, `the heap retained ${heapGrowth.toFixed(1)} MB more after 3000 requests`);
  assert.ok(rss < 500, `RSS ${rss.toFixed(0)} MB`);
  // Generous: only a request that waited on the collector would take the export timeout or longer.
  assert.ok(p99 < EXPORT_TIMEOUT_MS / 2, `p99 ${p99.toFixed(1)} ms`);
  const code = await app.stopWith('SIGTERM');
  assert.equal(code, 0, app.stderrLines.join('\n'));
  assert.equal(app.stderrLines.filter((line) => EXPORT_FAILING.test(line)).length, 1, app.stderrLines.join('\n'));
  assert.equal(app.stderrLines.filter((line) => LOG_EXPORT_FAILING.test(line)).length, 1, app.stderrLines.join('\n'));
  assert.ok(!app.stderrLines.some((line) => /unhandled|Error:/i.test(line)), app.stderrLines.join('\n'));
}

test('collector refusing connections: requests stay fast, memory bounded, one warning, SIGTERM exits 0', async (t) => {
  const endpoint = `http://127.0.0.1:${await freePort()}`;
  await assertUnharmed(t, await spawnApp({ heapProbe: true, imports: TELEMETRY, env: { ...FAST_EXPORT_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } }));
});

test('collector that never answers: requests stay fast, memory bounded, one warning, SIGTERM exits 0', async (t) => {
  const collector = await startSilentCollector();
  try {
    const app = await spawnApp({ heapProbe: true, imports: TELEMETRY, env: { ...FAST_EXPORT_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint } });
    await assertUnharmed(t, app);
  } finally {
    await collector.stop();
  }
});

test('SIGTERM flushes the spans still queued to the collector before the process exits 0', async (t) => {
  const collector = await startOtlpReceiver();
  try {
    // The schedule delay is far away: only the shutdown flush can send these spans.
    const app = await spawnApp({
      imports: TELEMETRY,
      env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint },
    });
    t.after(() => app.stopWith('SIGKILL'));
    const api = new ApiClient(app.url);
    const { token } = await api.newUser('Flushed');
    await drive(api, token, 5, 1);
    assert.equal(collector.received.length, 0, 'nothing exported before the shutdown');
    assert.equal(await app.stopWith('SIGTERM'), 0, app.stderrLines.join('\n'));
    const traces = collector.received.filter((request) => request.path === '/v1/traces');
    assert.ok(traces.length > 0, 'spans exported at shutdown');
    assert.deepEqual(new Set(traces.map((request) => request.contentType)), new Set(['application/x-protobuf']), 'OTLP http/protobuf by default');
    assert.ok(Buffer.concat(traces.map((request) => request.body)).includes('GET /api/tasks'), 'the task-list server spans');
  } finally {
    await collector.stop();
  }
});

test('OTEL_SDK_DISABLED=true: no metrics endpoint, no SDK package loaded, the app serves as usual', async (t) => {
  const metricsPort = await freePort();
  const app = await spawnApp({
    imports: ['./test/support/logOtelImports.ts', ...TELEMETRY],
    env: { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort) },
  });
  t.after(() => app.stopWith('SIGKILL'));
  const api = new ApiClient(app.url);
  const { token } = await api.newUser('Untraced');
  assert.equal((await api.post('/api/tasks', { title: 'plain' }, { token })).status, 201);
  assert.equal((await api.get('/api/tasks', { token })).status, 200);
  await assert.rejects(fetch(`http://127.0.0.1:${metricsPort}/metrics`));
  const loaded = new Set(app.stderrLines.flatMap((line) => /^otel-import (\S+)$/.exec(line)?.[1] ?? []));
  assert.ok(loaded.has('@opentelemetry/api'), `the import log works: ${[...loaded].join(', ')}`);
  assert.deepEqual([...loaded].filter((name) => name !== '@opentelemetry/api' && name !== '@opentelemetry/semantic-conventions'), []);
  assert.equal(await app.stopWith('SIGTERM'), 0);
});
