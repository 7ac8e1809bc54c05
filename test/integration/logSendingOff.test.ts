import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { startTestTelemetry } from '../support/testTelemetry.ts';

// Log export off, as a user turns it off; the process's telemetry otherwise as the tests run it, every trace sampled.
process.env.OTEL_LOGS_EXPORTER = 'none';
const telemetry = await startTestTelemetry();
after(() => telemetry.handle.shutdown());
// Imported after telemetry started, as the app imports them.
const { pino } = await import('pino');
const { createLogger } = await import('../../app/src/logger.ts');

test('with OTEL_LOGS_EXPORTER=none a log line goes straight to its destination, still with its span\'s trace ids', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger('info', destination);
  // No stream beside the destination (pino's multistream): the line is written once, and nothing parses it again.
  assert.equal((logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym], destination);
  trace.getTracer('test').startActiveSpan('work', (active) => {
    logger.info({ route: '/api/tasks' }, 'request');
    active.end();
    const line = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    assert.equal(line.trace_id, active.spanContext().traceId);
    assert.equal(line.span_id, active.spanContext().spanId);
    assert.equal(line.route, '/api/tasks');
  });
});
