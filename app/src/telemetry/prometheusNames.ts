import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** Prometheus unit suffixes of OpenTelemetry units (the rule Prometheus's own OTLP translation uses). */
const UNIT_SUFFIXES: Record<string, string> = { s: 'seconds', ms: 'milliseconds', By: 'bytes' };

/** Semantic-convention units of instruments that @opentelemetry/host-metrics 0.39 creates without one. */
const MISSING_UNITS: Record<string, string> = {
  'system.cpu.utilization': '1',
  'system.memory.usage': 'By',
  'system.memory.utilization': '1',
  'process.cpu.utilization': '1',
  'process.memory.usage': 'By',
};

/**
 * The instrument name with its unit as a suffix: `http.server.request.duration` in `s` →
 * `http.server.request.duration_seconds`; a gauge in `1` gets `_ratio`. Annotation units (`{request}`) add nothing.
 * The exporter then turns dots into underscores and appends `_total` to monotonic counters.
 */
export function withUnitSuffix(name: string, unit: string, dataPointType: DataPointType): string {
  const suffix = prometheusUnit(unit, dataPointType);
  if (suffix === undefined || name.endsWith(`_${suffix}`) || name.endsWith(`.${suffix}`)) return name;
  return `${name}_${suffix}`;
}

/** The Prometheus unit word of an OpenTelemetry unit (`s` → `seconds`), or undefined when it has none. */
export function prometheusUnit(unit: string, dataPointType: DataPointType): string | undefined {
  return unit === '1' && dataPointType === DataPointType.GAUGE ? 'ratio' : UNIT_SUFFIXES[unit];
}

/** The same metrics with unit-suffixed names; the data points are shared, not copied. */
export function withUnitSuffixes(resourceMetrics: ResourceMetrics): ResourceMetrics {
  return {
    ...resourceMetrics,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scopeMetrics) => ({
      ...scopeMetrics,
      metrics: scopeMetrics.metrics.map(renamed),
    })),
  };
}

function renamed(metric: MetricData): MetricData {
  const { name } = metric.descriptor;
  const unit = metric.descriptor.unit || (MISSING_UNITS[name] ?? '');
  const suffixed = withUnitSuffix(name, unit, metric.dataPointType);
  return suffixed === name ? metric : { ...metric, descriptor: { ...metric.descriptor, name: suffixed, unit } };
}
