import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startLocalStack, type LocalStack } from '../../stack/local/startLocalStack.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlpReceiver.ts';
import { createTestDatabase, requireEnv, type TestDatabase } from '../support/testDatabase.ts';

const ROUTE = '/api/recommendations';

interface ExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: Array<{ labels: Record<string, string>; value: string; timestamp: number }>;
}

/** Trace ids of every span the app exported (OTLP http/json: ids are hex strings, or base64 in other encoders). */
function exportedTraceIds(receiver: OtlpReceiver): Set<string> {
  const ids = new Set<string>();
  for (const { body } of receiver.received) {
    const request = JSON.parse(body.toString('utf8')) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ traceId: string }> }> }> };
    for (const resourceSpans of request.resourceSpans ?? []) {
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) ids.add(/^[0-9a-f]{32}$/.test(span.traceId) ? span.traceId : Buffer.from(span.traceId, 'base64').toString('hex'));
      }
    }
  }
  return ids;
}

async function queryExemplars(stack: LocalStack, promql: string): Promise<ExemplarSeries[]> {
  const end = Date.now() / 1000;
  const response = await fetch(`${stack.prometheusUrl}/api/v1/query_exemplars?query=${encodeURIComponent(promql)}&start=${end - 600}&end=${end}`);
  const body = (await response.json()) as { status: string; data: ExemplarSeries[] };
  assert.equal(body.status, 'success', promql);
  return body.data;
}

/**
 * Exemplars end to end on real processes: the built app with its telemetry (every trace sampled, spans as OTLP JSON
 * to a test receiver), a catalog stand-in 300 ms slow so recommendations land in the 0.5 s bucket, and Debian's
 * Prometheus 2.42 with exemplar storage scraping the app every second.
 */
describe('exemplars, end to end', { timeout: 150_000 }, () => {
  let database: TestDatabase;
  let receiver: OtlpReceiver;
  let stack: LocalStack;
  before(async () => {
    database = await createTestDatabase();
    receiver = await startOtlpReceiver();
    stack = await startLocalStack({
      databaseUrl: database.url, redisUrl: requireEnv('REDIS_URL'), scrapeInterval: '1s', evaluationInterval: '1s',
      load: { rate: 8, users: 3 },
      appEnv: {
        CACHE_TTL_SECONDS: '1', LOG_LEVEL: 'warn', OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'always_on',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200',
      },
      catalogEnv: { CATALOG_LATENCY_MS: '300' },
    });
  });
  after(async () => {
    await stack?.stop();
    await receiver?.stop();
    await database?.drop();
  });

  it('Prometheus stores exemplars on the slow route buckets, each pointing at a trace the app exported', async (t) => {
    const query = `http_server_request_duration_seconds_bucket{http_route="${ROUTE}"}`;
    const deadline = Date.now() + 90_000;
    let series: ExemplarSeries[] = [];
    while (Date.now() < deadline) {
      series = await queryExemplars(stack, query);
      const slow = series.filter((s) => s.seriesLabels.le !== undefined && Number(s.seriesLabels.le) >= 0.5 && s.exemplars.length > 0);
      if (slow.length > 0) break;
      await sleep(1000);
    }
    // Ten more scrapes, so that the count is more than one lucky request; then the spans (sent every 200 ms) catch up.
    await sleep(10_000);
    series = await queryExemplars(stack, query);
    await sleep(1500);
    const traceIds = exportedTraceIds(receiver);
    const exemplars = series.flatMap((s) => s.exemplars.map((exemplar) => ({ le: s.seriesLabels.le ?? '?', ...exemplar })));
    const matched = exemplars.filter((exemplar) => traceIds.has(exemplar.labels.trace_id ?? ''));
    const byBucket = Object.entries(Object.groupBy(exemplars, (exemplar) => exemplar.le)).map(([le, list]) => `le=${le}: ${list?.length}`).join(', ');
    const numbers = `${exemplars.length} exemplars on ${series.length} series of ${ROUTE} (${byBucket}), ${matched.length} of them in the ${traceIds.size} exported traces; load ${JSON.stringify(stack.load?.stats().byRequest)}`;
    t.diagnostic(numbers);
    assert.ok(exemplars.some((exemplar) => Number(exemplar.le) >= 0.5 || exemplar.le === '+Inf'), `an exemplar on a slow bucket: ${numbers}`);
    assert.equal(matched.length, exemplars.length, `every exemplar's trace_id was exported: ${numbers}`);
    for (const exemplar of exemplars) {
      assert.match(exemplar.labels.span_id ?? '', /^[0-9a-f]{16}$/, numbers);
      assert.ok(Number(exemplar.value) <= Number(exemplar.le === '+Inf' ? Infinity : exemplar.le), `value within its bucket: ${JSON.stringify(exemplar)}`);
    }
    const catalog = (await queryExemplars(stack, 'app_catalog_request_duration_seconds_bucket')).flatMap((s) => s.exemplars);
    t.diagnostic(`${catalog.length} catalog attempt exemplars, ${catalog.filter((e) => traceIds.has(e.labels.trace_id ?? '')).length} in exported traces`);
    assert.ok(catalog.length > 0 && catalog.every((e) => traceIds.has(e.labels.trace_id ?? '')), `catalog exemplars: ${catalog.length}`);
  });

  it('answers the text format without an OpenMetrics Accept, which promtool check metrics reads', async (t) => {
    const response = await fetch(stack.metricsUrl);
    assert.equal(response.headers.get('content-type'), 'text/plain');
    const text = await response.text();
    assert.doesNotMatch(text, /# EOF|trace_id/);
    const child = execFile('promtool', ['check', 'metrics']);
    child.stdin?.end(text);
    const [code, output] = await new Promise<[number | null, string]>((resolve) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', (exitCode) => resolve([exitCode, out]));
    });
    // promtool also lints names (e.g. counters it thinks lack `_total`); only parse errors fail here.
    assert.doesNotMatch(output, /error while linting|parse error|text format parsing error/i, output);
    t.diagnostic(`promtool check metrics: exit ${code} ${output.trim()}`);
    assert.ok(code === 0 || code === 3, `promtool parsed it (3: lint findings only): exit ${code} ${output}`);
  });
});
