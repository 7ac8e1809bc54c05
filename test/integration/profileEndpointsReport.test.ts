import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { requireEnv } from '../support/testDatabase.ts';

const reportDir = await mkdtemp(join(tmpdir(), 'profile-report-'));
after(() => rm(reportDir, { recursive: true, force: true }));

const ENDPOINTS = ['baseline (health check)', 'task list', 'task detail', 'create task', 'update task', 'recommendations, cold', 'recommendations, cached'];

test('npm run profile:endpoints on a small seed writes a report with one measured row per endpoint', async () => {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['bench/profileEndpoints/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: requireEnv('DATABASE_URL'),
      REDIS_URL: requireEnv('REDIS_URL'),
      PROFILE_TASKS: '500',
      PROFILE_REQUESTS: '20',
      PROFILE_PROFILED_REQUESTS: '10',
      PROFILE_WARMUP: '3',
      PROFILE_CATALOG_LATENCY_MS: '0',
      PROFILE_REPORT_DIR: reportDir,
    },
    timeout: 120_000,
  });
  const files = await readdir(reportDir);
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^profile-\d{4}-\d\d-\d\d\.md$/);
  const report = await readFile(join(reportDir, files[0]!), 'utf8');
  assert.equal(stdout.trim(), report.trim(), 'the report is also printed');
  assert.match(stderr, /\[profile:endpoints\] .*written to/s);

  const rows = report.split('\n').filter((line) => ENDPOINTS.some((name) => line.startsWith(`| ${name} |`)));
  assert.deepEqual(rows.map((row) => row.split('|')[1]!.trim()), ENDPOINTS);
  for (const row of rows) {
    const [, , , p50, p95, cpu, serverCpu, allocated] = row.split('|').map((cell) => cell.trim());
    for (const cell of [p50, p95, cpu, serverCpu]) assert.match(cell!, /^\d+(\.\d+)? ms$/, row);
    assert.match(allocated!, /^\d+(\.\d+)? (KiB|MiB)$/, row);
  }
  assert.match(report, /\| task list \|.*\| `get_user_tasks_list`: 124 ms, \+2\.1 MiB \|/);
  assert.match(report, /## Findings\n\n- \*\*/);
  assert.match(report, /\| items \| \d+ \| 0 \| 0\.0% \|/, 'catalog call stats from the cold requests');
});
