import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import fc from 'fast-check';
import { createLogger } from '../../app/src/logger.ts';
import { setLogLineSink } from '../../app/src/telemetry/logLines.ts';
import { parseLine, pinoLogRecordSink } from '../../app/src/telemetry/pinoLogRecords.ts';

const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE };
const resource = resourceFromAttributes({ 'service.name': 'app' });
const exporter = new InMemoryLogRecordExporter();

before(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  setLogLineSink(pinoLogRecordSink([new SimpleLogRecordProcessor({ exporter })], resource));
});
after(() => {
  setLogLineSink(undefined);
  context.disable();
});

/** What the app's logger exports for `logged`, run in a span or outside one, with the lines it wrote to stdout. */
function logged(inSpan: boolean, log: (logger: ReturnType<typeof createLogger>) => void): { records: ReadableLogRecord[]; lines: Record<string, unknown>[] } {
  exporter.reset();
  const lines: string[] = [];
  const logger = createLogger('debug', new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }));
  context.with(inSpan ? trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(spanContext)) : ROOT_CONTEXT, () => log(logger));
  return { records: [...exporter.getFinishedLogRecords()], lines: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

test('a request line is exported as instrumentation-pino sent it: msg as body, severity, time, fields as attributes, the span context', () => {
  const { records, lines } = logged(true, (logger) => logger.info({ method: 'GET', route: '/api/tasks', statusCode: 200, durationMs: 3.25 }, 'request'));
  const [record] = records;
  assert.equal(record!.body, 'request');
  assert.equal(record!.severityNumber, 9);
  assert.equal(record!.severityText, 'info');
  assert.equal(hrTimeToMilliseconds(record!.hrTime), lines[0]!.time);
  assert.deepEqual(record!.hrTimeObserved, record!.hrTime);
  assert.deepEqual({ ...record!.attributes }, { service: 'app', method: 'GET', route: '/api/tasks', statusCode: 200, durationMs: 3.25 });
  assert.deepEqual(record!.spanContext, spanContext);
  assert.equal(record!.resource, resource);
  assert.equal(record!.instrumentationScope.name, 'app.logger');
  assert.equal(record!.droppedAttributesCount, 0);
});

test('outside a span a record has no span context; each pino level has its severity', () => {
  const { records } = logged(false, (logger) => {
    logger.debug('d');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
  });
  assert.deepEqual(records.map((record) => [record.body, record.severityNumber, record.severityText, record.spanContext]), [
    ['d', 5, 'debug', undefined],
    ['w', 13, 'warn', undefined],
    ['e', 17, 'error', undefined],
    ['f', 21, 'fatal', undefined],
  ]);
});

test('a logged error becomes the exception attributes (its code as the type when it has one), redacted fields stay redacted', () => {
  const error = Object.assign(new Error('relation "tasks" does not exist'), { code: '42P01', detail: 'secret@example.com' });
  const { records } = logged(true, (logger) => logger.error({ err: error, user: { email: 'secret@example.com' } }, 'query failed'));
  const attributes = records[0]!.attributes;
  assert.equal(attributes['exception.type'], '42P01');
  assert.equal(attributes['exception.message'], 'relation "tasks" does not exist');
  assert.match(String(attributes['exception.stacktrace']), /^Error: relation/);
  assert.deepEqual(attributes.user, { email: '[redacted]' });
  assert.equal(attributes.err, undefined);
  const { records: typed } = logged(false, (logger) => logger.warn({ err: new TypeError('bad') }, 'x'));
  assert.equal(typed[0]!.attributes['exception.type'], 'TypeError');
});

test('a line that is not a JSON object is exported whole as the body', () => {
  const parsed = parseLine('not json\n', 1_700_000_000_123);
  assert.equal(parsed.body, 'not json');
  assert.deepEqual({ ...parsed.attributes }, {});
  assert.equal(hrTimeToMilliseconds(parsed.hrTime), 1_700_000_000_123);
});

test('property: any logged object is exported as its stdout line, less the record fields, the trace keys, pid and hostname', () => {
  const notAttributes = new Set(['time', 'level', 'msg', 'err', 'pid', 'hostname', 'trace_id', 'span_id', 'trace_flags', 'otel.event.name']);
  fc.assert(
    fc.property(fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }).filter((key) => key !== 'err'), fc.constantFrom('__proto__', 'constructor')), fc.jsonValue({ maxDepth: 3 })), fc.string(), fc.boolean(), (fields, message, inSpan) => {
      const { records, lines } = logged(inSpan, (logger) => logger.info(fields, message));
      assert.equal(records.length, 1);
      const [record] = records;
      const expected = Object.fromEntries(Object.entries(lines[0]!).filter(([key]) => !notAttributes.has(key) && key !== ''));
      assert.deepEqual({ ...record!.attributes }, expected);
      assert.equal(record!.body, lines[0]!.msg);
      assert.equal(hrTimeToMilliseconds(record!.hrTime), lines[0]!.time);
      assert.deepEqual(record!.spanContext, inSpan ? spanContext : undefined);
    }),
    { numRuns: 300 },
  );
});
