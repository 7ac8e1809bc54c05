import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { context, INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import fc from 'fast-check';
import { createLogger } from '../../app/src/logger.ts';

const sampled = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };

before(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
after(() => context.disable());

/** The lines one logger writes, each parsed, with `logged` run in the given span context (none: no active span). */
function linesOf(spanContext: typeof sampled | undefined, logged: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }));
  const active = spanContext === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(spanContext));
  context.with(active, () => logged(logger));
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('a line written in a span carries its trace_id, span_id and two-digit trace_flags', () => {
  const [line] = linesOf(sampled, (logger) => logger.info({ route: '/api/tasks' }, 'request'));
  assert.equal(line!.trace_id, sampled.traceId);
  assert.equal(line!.span_id, sampled.spanId);
  assert.equal(line!.trace_flags, '01');
  assert.equal(line!.route, '/api/tasks');
  const [unsampled] = linesOf({ ...sampled, traceFlags: TraceFlags.NONE }, (logger) => logger.info('x'));
  assert.equal(unsampled!.trace_flags, '00');
});

test('a line written outside a span, or in an invalid span context, has no trace keys', () => {
  for (const spanContext of [undefined, INVALID_SPAN_CONTEXT]) {
    const [line] = linesOf(spanContext, (logger) => logger.info({ route: '/api/tasks' }, 'request'));
    assert.deepEqual(Object.keys(line!).filter((key) => key.startsWith('trace') || key === 'span_id'), []);
  }
});

test('property: in a span, any logged object gives the line it gives outside one plus the three trace keys, redacted alike', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })), fc.string(), (fields, message) => {
      const strip = ({ time: _time, ...rest }: Record<string, unknown>) => rest;
      const [outside] = linesOf(undefined, (logger) => logger.info(fields, message));
      const [inside] = linesOf(sampled, (logger) => logger.info(fields, message));
      assert.deepEqual(strip(inside!), { ...strip(outside!), trace_id: sampled.traceId, span_id: sampled.spanId, trace_flags: '01' });
    }),
    { numRuns: 300 },
  );
});
