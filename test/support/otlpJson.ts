import type { OtlpReceiver } from './otlpReceiver.ts';

/** Readers of what an app exported as OTLP/JSON (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) to the test receiver. */

export type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
export type KeyValue = { key: string; value: AnyValue };

export interface JsonLogRecord {
  severityNumber?: number;
  severityText?: string;
  body?: AnyValue;
  attributes?: KeyValue[];
  traceId?: string;
  spanId?: string;
}

export interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  links?: { traceId: string; spanId: string }[];
}

export const valueOf = (value: AnyValue | undefined): unknown => value?.stringValue ?? value?.intValue ?? value?.boolValue ?? value?.doubleValue;
export const attributesOf = (list: KeyValue[] | undefined): Record<string, unknown> =>
  Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));

function exported(receiver: OtlpReceiver, path: string): unknown[] {
  return receiver.received.filter((request) => request.path === path).map((request) => JSON.parse(request.body.toString('utf8')));
}

/** Every log record received so far, with its resource's attributes. */
export function exportedLogRecords(receiver: OtlpReceiver): { resource: Record<string, unknown>; record: JsonLogRecord }[] {
  return exported(receiver, '/v1/logs').flatMap((body) =>
    (body as { resourceLogs: { resource: { attributes: KeyValue[] }; scopeLogs: { logRecords: JsonLogRecord[] }[] }[] }).resourceLogs.flatMap((resourceLogs) =>
      resourceLogs.scopeLogs.flatMap((scope) => scope.logRecords.map((record) => ({ resource: attributesOf(resourceLogs.resource.attributes), record }))),
    ),
  );
}

/** Every span received so far. */
export function exportedSpans(receiver: OtlpReceiver): JsonSpan[] {
  return exported(receiver, '/v1/traces').flatMap((body) =>
    (body as { resourceSpans: { scopeSpans: { spans: JsonSpan[] }[] }[] }).resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
  );
}

/** Polls until `condition` holds, for at most 15 s. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 15_000; !condition(); await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}
