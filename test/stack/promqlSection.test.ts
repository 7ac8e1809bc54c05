import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { startFaultedLocalStack, type FaultedLocalStack } from '../support/faultedLocalStack.ts';
import { missingData, problemsAfterRetries, queryPrometheus } from '../support/prometheusApi.ts';
import { promqlBlocks, type DocumentedQuery, type PromqlBlocks } from '../support/promqlBlocks.ts';

/** Where the queries are: the README's "Querying Prometheus yourself" section and the page it links. */
const FILES = ['README.md', 'docs/QUERIES.md'];
/** One series of each question of issue 13, so that none of them is dropped from the pages unnoticed. */
const ANSWERED = [
  'job_http_route:http_server_request_duration_seconds:p95_5m', 'job_http_route:http_server_request_duration_seconds:p99_5m',
  'job_http_route:http_server_errors:ratio_rate5m', 'job:slo_latency_slow:ratio_rate5m', 'db_client_operation_duration_seconds',
  'app_catalog_request_duration_seconds', 'app_function_duration_seconds', 'app_cache_requests_total', 'app_catalog_retries_total',
  'outcome="rate_limited"', 'app_catalog_breaker_state', 'nodejs_eventloop_delay_p99_seconds', 'process_memory_usage_bytes',
  'job:slo_availability_errors:ratio_rate5m',
];

async function documented(): Promise<PromqlBlocks[]> {
  return Promise.all(FILES.map(async (file) => promqlBlocks(await readFile(file, 'utf8'), file)));
}

const where = (query: DocumentedQuery): string => `${query.file}:${query.line} "${query.question}"`;

describe('the PromQL of the README and docs/QUERIES.md', () => {
  it('is made of paragraphs of a "# question" line and its query on job="app", covering every question of issue 13', async () => {
    const readme = await readFile('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### Querying Prometheus yourself'));
    assert.match(section.slice(0, section.indexOf('\n### ', 1)), /\(docs\/QUERIES\.md\)/, 'the README section links docs/QUERIES.md');
    const files = await documented();
    for (const file of files) assert.ok(file.blocks > 0, `no promql block in ${FILES[files.indexOf(file)]}`);
    assert.deepEqual(files.flatMap((file) => file.problems), []);
    const queries = files.flatMap((file) => file.queries);
    for (const query of queries) assert.match(query.text, /job="app"/, where(query));
    for (const series of ANSWERED) assert.ok(queries.some((query) => query.text.includes(series)), `no query on ${series}`);
  });

  /**
   * Each query exactly as a user pastes it (its `# question` comment included), as an instant query against the real
   * Prometheus of the local stack after load, with the catalog made slow, rate-limited, failing and down on purpose.
   * The `[5m]` and longer windows hold everything since the stack started, and rate() needs only two samples in them.
   */
  describe('on real data', { timeout: 120_000 }, () => {
    let faulted: FaultedLocalStack;
    before(async () => {
      faulted = await startFaultedLocalStack();
    });
    after(async () => {
      await faulted?.stop();
    });

    it('every query, pasted as written, returns data with a number in it', async (t) => {
      const files = await documented();
      const queries = files.flatMap((file) => file.queries);
      const problems = await problemsAfterRetries(queries, async (query) => {
        const body = await queryPrometheus(faulted.stack.prometheusUrl, '/api/v1/query', { query: query.text, time: String(Date.now() / 1000) });
        // A histogram_quantile() or ratio over series without traffic is NaN: data, but no answer.
        const finite = body.data.result.some((series) => Number.isFinite(Number(series.value?.[1])));
        const problem = missingData(body) ?? (finite ? undefined : 'only NaN');
        return problem === undefined ? undefined : `${where(query)}: ${problem}\n${query.text}`;
      }, 45_000);
      assert.deepEqual(problems, [], `${problems.length} of ${queries.length} queries returned no data`);

      const counts = FILES.map((file, index) => `${files[index]!.queries.length} in ${files[index]!.blocks} blocks of ${file}`);
      const summary = `${queries.length} queries (${counts.join(', ')}): all ran and returned data`;
      t.diagnostic(summary);
      console.log(summary);
    });
  });
});
