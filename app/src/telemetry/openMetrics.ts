import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { DataPointType, type DataPoint, type Histogram, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Exemplar, ExemplarStore } from './exemplars.ts';
import { prometheusUnit } from './prometheusNames.ts';

/**
 * OpenMetrics 1.0.0 text (prometheus/docs `docs/specs/om/open_metrics_spec.md`) of what the Prometheus exporter
 * collects, with the exemplars of the store on histogram buckets. exporter-prometheus 0.301 writes the 0.0.4 text
 * format only (open-telemetry/opentelemetry-js#5147 tracks exemplars; the exporter has no content negotiation):
 * this goes once it does both. The series are the ones the exporter's own serializer writes (same names, labels,
 * values, `target_info`); the differences are the format's: counter families named without `_total`, `# UNIT` as
 * the name's suffix word or left out, `le` as canonical floats, exemplars, `# EOF`.
 */
export interface OpenMetricsOptions {
  /** Resource attributes whose names match become labels of every series (the exporter's option of that name). */
  withResourceConstantLabels?: RegExp | undefined;
  /** No `target_info` (the exporter's option of that name). @default false */
  withoutTargetInfo?: boolean | undefined;
  /** No `otel_scope_*` labels (the exporter's option of that name). @default false */
  withoutScopeInfo?: boolean | undefined;
}

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

type FamilyType = 'counter' | 'gauge' | 'histogram';

interface Family {
  type: FamilyType;
  help: string;
  unit: string | undefined;
  lines: string[];
}

/** The whole exposition, ending in `# EOF`. */
export function toOpenMetrics(resourceMetrics: ResourceMetrics, exemplars: ExemplarStore | undefined, options: OpenMetricsOptions = {}): string {
  const constantLabels = resourceConstantLabels(resourceMetrics.resource.attributes, options.withResourceConstantLabels);
  const families = new Map<string, Family>();
  for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
    const scopeLabels = options.withoutScopeInfo === true ? '' : labels(scopeAttributes(scope));
    for (const metric of metrics) {
      const type = familyType(metric);
      const name = familyName(metric, type);
      let family = families.get(name);
      if (family === undefined) {
        family = { type, help: metric.descriptor.description, unit: unitOf(metric, name), lines: [] };
        families.set(name, family);
      }
      // Two instruments under one name and different types: the exporter drops it too (with a warning).
      if (family.type !== type) continue;
      const extra = scopeLabels + constantLabels;
      if (metric.dataPointType === DataPointType.HISTOGRAM) {
        for (const point of metric.dataPoints) family.lines.push(...histogramLines(name, metric.descriptor.name, point, extra, exemplars));
      } else if (metric.dataPointType !== DataPointType.EXPONENTIAL_HISTOGRAM) {
        // Exponential histograms: no view here makes one, and the exporter skips them too.
        const sample = type === 'counter' ? `${name}_total` : name;
        for (const point of metric.dataPoints) family.lines.push(`${sample}${labelSet(labels(point.attributes) + extra)} ${number(point.value)}`);
      }
    }
  }
  const out: string[] = [];
  if (options.withoutTargetInfo !== true) {
    // The spec's target metadata: an info family called `target`, first.
    out.push('# TYPE target info', '# HELP target Target metadata', `target_info${labelSet(labels(resourceMetrics.resource.attributes))} 1`);
  }
  for (const [name, family] of families) {
    out.push(`# TYPE ${name} ${family.type}`);
    if (family.unit !== undefined) out.push(`# UNIT ${name} ${family.unit}`);
    if (family.help !== '') out.push(`# HELP ${name} ${escape(family.help)}`);
    out.push(...family.lines);
  }
  out.push('# EOF');
  return `${out.join('\n')}\n`;
}

function histogramLines(name: string, instrument: string, point: DataPoint<Histogram>, extra: string, store: ExemplarStore | undefined): string[] {
  const own = labels(point.attributes);
  const bucketExemplars = store?.forSeries(instrument, point.attributes);
  const { boundaries, counts } = point.value.buckets;
  const lines: string[] = [];
  let cumulative = 0;
  counts.forEach((count, index) => {
    cumulative += count;
    const bound = boundaries[index];
    const le = bound === undefined ? '+Inf' : canonicalFloat(bound);
    lines.push(`${name}_bucket${labelSet(`${own}${extra},le="${le}"`)} ${cumulative}${exemplar(bucketExemplars?.[index])}`);
  });
  lines.push(`${name}_count${labelSet(own + extra)} ${point.value.count}`, `${name}_sum${labelSet(own + extra)} ${number(point.value.sum ?? 0)}`);
  return lines;
}

function exemplar(value: Exemplar | undefined): string {
  if (value === undefined) return '';
  return ` # {trace_id="${value.traceId}",span_id="${value.spanId}"} ${number(value.value)} ${value.timestamp}`;
}

function familyType(metric: MetricData): FamilyType {
  if (metric.dataPointType === DataPointType.HISTOGRAM) return 'histogram';
  return metric.dataPointType === DataPointType.SUM && metric.isMonotonic ? 'counter' : 'gauge';
}

/** As the exporter names it, without the `_total` it appends to counters (here that suffix is the sample's). */
function familyName(metric: MetricData, type: FamilyType): string {
  const name = sanitize(metric.descriptor.name);
  const prefixed = /^[0-9]/.test(name) ? `_${name}` : name;
  return type === 'counter' && prefixed.endsWith('_total') ? prefixed.slice(0, -'_total'.length) : prefixed;
}

/** The spec allows a unit only as the family name's suffix: `seconds` for `…_seconds`, none for `{request}`. */
function unitOf(metric: MetricData, name: string): string | undefined {
  const unit = prometheusUnit(metric.descriptor.unit, metric.dataPointType);
  return unit !== undefined && name.endsWith(`_${unit}`) ? unit : undefined;
}

function scopeAttributes(scope: { name: string; version?: string; schemaUrl?: string }): Attributes {
  return { 'otel.scope.name': scope.name, 'otel.scope.version': scope.version, 'otel.scope.schema_url': scope.schemaUrl };
}

function resourceConstantLabels(attributes: Attributes, pattern: RegExp | undefined): string {
  if (pattern === undefined) return '';
  return labels(Object.fromEntries(Object.entries(attributes).filter(([key]) => pattern.test(key))));
}

/** `,name="value"` per attribute (a leading comma each, so sets concatenate); undefined values are left out. */
function labels(attributes: Attributes): string {
  let out = '';
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out += `,${sanitize(key)}="${labelValue(value)}"`;
  return out;
}

function labelSet(commaLabels: string): string {
  return commaLabels === '' ? '' : `{${commaLabels.slice(1)}}`;
}

/** Strings as they are, other values as JSON (the exporter's rule), then escaped. */
function labelValue(value: AttributeValue): string {
  return escape(typeof value === 'string' ? value : JSON.stringify(value));
}

/** The escapes of the spec's ABNF: backslash, double quote, line feed. */
function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The exporter's rule for metric and label names: anything but `[a-zA-Z0-9_]` becomes `_`, runs of `_` one. */
function sanitize(name: string): string {
  return name.replace(/[^a-z0-9_]/gi, '_').replace(/_{2,}/g, '_');
}

function number(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * `le` values as the spec's canonical numbers: Go's `%g` (exponent below 1e-4 and from 1e6 on, at least two exponent
 * digits) with `.0` appended to integers, e.g. `0.005`, `1.0`, `10.0`, `1.048576e+06`.
 */
export function canonicalFloat(value: number): string {
  const [digits = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${value < 0 ? '-' : ''}${digits}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = String(value);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}
