import type { AnyValue, Attributes, HrTime, SpanContext } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE, ATTR_EXCEPTION_TYPE } from '@opentelemetry/semantic-conventions';
import type { LogLineSink } from './logLines.ts';

/** pino's default levels (https://getpino.io/#/docs/api?id=levels) as OpenTelemetry severities, as instrumentation-pino maps them. */
const SEVERITIES = new Map<number, { severityNumber: SeverityNumber; severityText: string }>([
  [10, { severityNumber: SeverityNumber.TRACE, severityText: 'trace' }],
  [20, { severityNumber: SeverityNumber.DEBUG, severityText: 'debug' }],
  [30, { severityNumber: SeverityNumber.INFO, severityText: 'info' }],
  [40, { severityNumber: SeverityNumber.WARN, severityText: 'warn' }],
  [50, { severityNumber: SeverityNumber.ERROR, severityText: 'error' }],
  [60, { severityNumber: SeverityNumber.FATAL, severityText: 'fatal' }],
]);
/** The event name key instrumentation-pino reads (`ATTR_OTEL_EVENT_NAME` of the incubating conventions). */
const EVENT_NAME_KEY = 'otel.event.name';
/**
 * Keys of a pino line that are not attributes: the record's own fields (time, level, message, error, event name),
 * `pid` and `hostname` (the resource's `process.pid` and `host.name`), and the correlation keys (the record carries
 * the span context itself).
 */
const NOT_ATTRIBUTES = new Set(['time', 'level', 'msg', 'err', 'pid', 'hostname', 'trace_id', 'span_id', 'trace_flags', EVENT_NAME_KEY]);
/** The SDK's default attribute count limit of a log record (LoggerProvider's `logRecordLimits`). */
const ATTRIBUTE_COUNT_LIMIT = 128;
/** The scope of every record: the app's pino logger. */
const SCOPE = { name: 'app.logger' };

/** A line's record fields, as the exporter reads them. */
export interface ParsedLine {
  hrTime: HrTime;
  severityNumber?: SeverityNumber;
  severityText?: string;
  body?: AnyValue;
  eventName?: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

/**
 * One pino line as an OpenTelemetry log record, in the shape instrumentation-pino's log sending gives it: the line's
 * `msg` as the body, its level as the severity, its `time`, its other fields as attributes, `err` as the
 * `exception.*` attributes. Only the line and its span context are kept when it is written; it is parsed when the
 * exporter first reads it, in the batch. It replaces instrumentation-pino's log sending, which needed pino patched on
 * `import` by a module hook (see loadPatchedPackages() in instrumentations.ts for what that hook cost), at the same CPU
 * (README, "What it costs"). The shape of the SDK's ReadableLogRecord, with getters (so it does not `implements` it:
 * optional fields cannot be getters under exactOptionalPropertyTypes).
 */
class PinoLogRecord {
  readonly resource: Resource;
  readonly spanContext?: SpanContext;
  readonly instrumentationScope = SCOPE;
  readonly #line: string;
  readonly #writtenAt = Date.now();
  #parsed: ParsedLine | undefined;

  constructor(line: string, spanContext: SpanContext | undefined, resource: Resource) {
    this.#line = line;
    if (spanContext !== undefined) this.spanContext = spanContext;
    this.resource = resource;
  }

  get hrTime(): HrTime {
    return this.#fields().hrTime;
  }
  get hrTimeObserved(): HrTime {
    return this.#fields().hrTime;
  }
  get severityNumber(): SeverityNumber | undefined {
    return this.#fields().severityNumber;
  }
  get severityText(): string | undefined {
    return this.#fields().severityText;
  }
  get body(): AnyValue | undefined {
    return this.#fields().body;
  }
  get eventName(): string | undefined {
    return this.#fields().eventName;
  }
  get attributes(): Attributes {
    return this.#fields().attributes;
  }
  get droppedAttributesCount(): number {
    return this.#fields().droppedAttributesCount;
  }

  #fields(): ParsedLine {
    return (this.#parsed ??= parseLine(this.#line, this.#writtenAt));
  }
}

/** A line pino wrote (a JSON object), as the record's fields; anything else becomes the body, written now. */
export function parseLine(line: string, writtenAt: number): ParsedLine {
  let fields: unknown;
  try {
    fields = JSON.parse(line);
  } catch {
    fields = undefined;
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    return { hrTime: millisToHrTime(writtenAt), body: line.trimEnd(), attributes: {}, droppedAttributesCount: 0 };
  }
  const { time, level, msg, err, [EVENT_NAME_KEY]: eventName } = fields as Record<string, unknown>;
  // A plain object keeps V8's fast properties, which a null-prototype one has not from the start: parse and OTLP
  // serialisation took 5.5 instead of 7.3 µs a record (a loop over batches of 512 request lines).
  const attributes: Attributes = {};
  let count = 0;
  let dropped = 0;
  // As the SDK adds them: no empty keys, the first value of a key wins, and at most ATTRIBUTE_COUNT_LIMIT of them.
  const add = (key: string, value: unknown): void => {
    if (key === '' || Object.hasOwn(attributes, key)) return;
    if (count === ATTRIBUTE_COUNT_LIMIT) return void dropped++;
    // A line's "__proto__" key is an attribute like any other, not the object's prototype.
    if (key === '__proto__') Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
    else attributes[key] = value as Attributes[string];
    count++;
  };
  for (const [key, value] of Object.entries(fields)) if (!NOT_ATTRIBUTES.has(key)) add(key, value);
  if (time !== undefined && typeof time !== 'number') add('time', time);
  addException(err, add);
  return {
    hrTime: millisToHrTime(typeof time === 'number' ? time : writtenAt),
    ...(typeof level === 'number' && SEVERITIES.get(level)),
    body: msg as AnyValue,
    ...(typeof eventName === 'string' && { eventName }),
    attributes,
    droppedAttributesCount: dropped,
  };
}

/**
 * The logged error (the logger's serializer: `type`, `message`, `code`, `stack`) as the `exception.*` attributes, as
 * the SDK's `LogRecordImpl` sets them from instrumentation-pino's record: the type is the code if there is one.
 */
function addException(err: unknown, add: (key: string, value: unknown) => void): void {
  if (typeof err === 'string' || typeof err === 'number') return add(ATTR_EXCEPTION_MESSAGE, String(err));
  if (typeof err !== 'object' || err === null) return;
  const { code, type, name, message, stack } = err as Record<string, unknown>;
  // instrumentation-pino takes a string `type` as the name when there is no string `name`.
  const exceptionName = typeof name !== 'string' && typeof type === 'string' ? type : name;
  if (code) add(ATTR_EXCEPTION_TYPE, String(code));
  else if (exceptionName) add(ATTR_EXCEPTION_TYPE, exceptionName);
  if (message) add(ATTR_EXCEPTION_MESSAGE, message);
  if (stack) add(ATTR_EXCEPTION_STACKTRACE, stack);
}

/**
 * The log sink that gives every line, as a record of the resource, to the processors. They must only read their
 * records, as the SDK's batch and simple processors (the ones startSdk.ts builds) do: a record is a line until the
 * exporter reads it, and has no setters.
 */
export function pinoLogRecordSink(processors: readonly LogRecordProcessor[], resource: Resource): LogLineSink {
  return (line, spanContext) => {
    const record = new PinoLogRecord(line, spanContext, resource) as unknown as ReadWriteLogRecord;
    for (const processor of processors) processor.onEmit(record);
  };
}
