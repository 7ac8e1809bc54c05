import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { promqlBlocks } from '../support/promqlBlocks.ts';

const FENCE = '```';

describe('promqlBlocks', () => {
  it('splits a promql block into "# question" paragraphs, a query spanning lines kept whole, other blocks ignored', () => {
    const markdown = [
      'Text.', '', `${FENCE}sh`, '# not PromQL', 'echo', FENCE, '',
      `${FENCE}promql`, '# Which routes are slow?', 'topk(5, slow{job="app"})', '',
      '# Which fail?', 'sum by (r) (rate(failed{job="app"}[5m]))', '  / sum by (r) (rate(all{job="app"}[5m]))', FENCE,
    ].join('\n');
    const { blocks, queries, problems } = promqlBlocks(markdown, 'X.md');
    assert.equal(blocks, 1);
    assert.deepEqual(problems, []);
    assert.deepEqual(queries, [
      { file: 'X.md', line: 9, question: 'Which routes are slow?', text: '# Which routes are slow?\ntopk(5, slow{job="app"})' },
      {
        file: 'X.md', line: 12, question: 'Which fail?',
        text: '# Which fail?\nsum by (r) (rate(failed{job="app"}[5m]))\n  / sum by (r) (rate(all{job="app"}[5m]))',
      },
    ]);
  });

  it('names the line of a query without its question, a question without a query, an empty and an unclosed block', () => {
    const markdown = [
      `${FENCE}promql`, 'up{job="app"}', '', '# Only a question?', FENCE,
      `${FENCE}promql`, FENCE,
      `${FENCE}promql`, '# Never closed?', 'up',
    ].join('\n');
    const { blocks, queries, problems } = promqlBlocks(markdown, 'X.md');
    assert.equal(blocks, 3);
    assert.equal(queries.length, 0);
    assert.deepEqual(problems, [
      'X.md:2: a query without its "# question" line: up{job="app"}',
      'X.md:4: a question without a query: # Only a question?',
      'X.md:1: a promql block without a query',
      'X.md:6: a promql block without a query',
      'X.md: a promql block that is never closed',
    ]);
  });
});
