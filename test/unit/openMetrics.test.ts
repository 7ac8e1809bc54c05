import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, trace, TraceFlags, ValueType, type Context } from '@opentelemetry/api';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, MeterProvider, type MetricData } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { latencyExemplarStore } from '../../app/src/telemetry/exemplarInstruments.ts';
import { canonicalFloat, toOpenMetrics } from '../../app/src/telemetry/openMetrics.ts';
import { OpenMetricsPrometheusExporter, prefersOpenMetrics } from '../../app/src/telemetry/OpenMetricsPrometheusExporter.ts';
import { PreAggregatedInstruments } from '../../app/src/telemetry/PreAggregatedInstruments.ts';
import { DURATION_BUCKETS_SECONDS, metricViews } from '../../app/src/telemetry/views.ts';
import { freePort } from '../../stack/local/freePort.ts';

/** What Prometheus 2.42 sends (read from its binary), and 3.x's form with `escaping`. */
const PROMETHEUS_2_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_3_ACCEPT = 'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.6,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const FIXED_NOW_MS = 1_764_600_000_123;

function spanContext(spanId: string, traceFlags: TraceFlags): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId, traceFlags });
}

/**
 * The OpenMetrics text grammar this serializer must keep (the spec's ABNF, section "Text format"): metadata lines,
 * samples with an optional exemplar, `# EOF` last; families not interleaved; a unit only as the name's suffix.
 */
function assertOpenMetricsGrammar(text: string): void {
  assert.ok(text.endsWith('# EOF\n'), 'ends with # EOF');
  const label = String.raw`[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"`;
  const labels = String.raw`\{(?:${label}(?:,${label})*)?\}`;
  const num = String.raw`(?:[+-]?\d+(?:\.\d*)?(?:e[+-]?\d+)?|[+-]?Inf|NaN)`;
  const sample = new RegExp(String.raw`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:${labels})? ${num}(?: # ${labels} ${num}(?: ${num})?)?$`);
  const seen = new Set<string>();
  let family: { name: string; type: string } | undefined;
  for (const line of text.slice(0, -'# EOF\n'.length).split('\n').slice(0, -1)) {
    const meta = /^# (TYPE|UNIT|HELP) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta !== null) {
      const [, kind, name = '', value = ''] = meta;
      if (kind === 'TYPE') {
        assert.ok(!seen.has(name), `family ${name} appears once`);
        seen.add(name);
        family = { name, type: value };
        assert.match(value, /^(counter|gauge|histogram|info)$/, line);
      } else assert.equal(name, family?.name, `${line} belongs to the family before it`);
      if (kind === 'UNIT') assert.ok(name.endsWith(`_${value}`), `unit is the name's suffix: ${line}`);
      if (kind === 'HELP') assert.doesNotMatch(value, /(^|[^\\])"/, `HELP escapes double quotes: ${line}`);
      continue;
    }
    const match = sample.exec(line);
    assert.ok(match !== null, `a sample line: ${JSON.stringify(line)}`);
    const suffixes = { counter: ['_total'], gauge: [''], histogram: ['_bucket', '_count', '_sum'], info: ['_info'] }[family?.type ?? ''] ?? [];
    assert.ok(suffixes.some((suffix) => match[1] === `${family?.name}${suffix}`), `${match[1]} is a sample of ${family?.name}`);
    if (line.includes(' # ')) assert.equal(`${family?.name}_bucket`, match[1], 'exemplars only on buckets here');
  }
}

/** A gauge as the SDK collects it, with one data point. */
function gauge(description: string, labelValue: string, value: number): MetricData {
  return {
    descriptor: { name: 'queue.depth', description, unit: '{item}', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: [{ attributes: { 'queue.name': labelValue }, startTime: [0, 0], endTime: [0, 0], value }],
  };
}

describe('OpenMetrics on /metrics', () => {
  const exemplars = latencyExemplarStore({ now: () => FIXED_NOW_MS });
  let provider: MeterProvider;
  let exporter: OpenMetricsPrometheusExporter;
  let url: string;

  before(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/metrics`;
    const resource = resourceFromAttributes({ 'service.name': 'app', 'service.version': 'say "1"\\2' });
    // As startSdk.ts sets it up: the app's and the hooks' instruments pre-aggregated.
    const instruments = new PreAggregatedInstruments({ resource, durationBoundaries: DURATION_BUCKETS_SECONDS, exemplars });
    exporter = new OpenMetricsPrometheusExporter({ port, host: '127.0.0.1', withoutScopeInfo: true, exemplars, metricProducers: [instruments] });
    provider = new MeterProvider({ resource, views: metricViews(), readers: [exporter] });
    await exporter.startServer();
    const wrapped = instruments.meterProvider(provider, ['app', 'app.telemetry']);
    const http = wrapped.getMeter('app.telemetry').createHistogram('http.server.request.duration', { unit: 's', description: 'Duration of HTTP server requests.' });
    const catalog = wrapped.getMeter('app').createHistogram('app.catalog.request.duration', { unit: 's', description: 'Duration of one "catalog" HTTP attempt' });
    const served = wrapped.getMeter('app').createCounter('app.recommendations.served', { description: 'Recommendation responses' });
    const route = { 'http.request.method': 'GET', 'http.route': '/api/recommendations', 'http.response.status_code': 200 };
    // An older exemplar of the same bucket is replaced by the newer one.
    http.record(0.3, route, spanContext('00f067aa0ba902b7', TraceFlags.SAMPLED));
    http.record(0.31, route, spanContext('00f067aa0ba902b8', TraceFlags.SAMPLED));
    http.record(0.007, route, spanContext('00f067aa0ba902b9', TraceFlags.NONE));
    http.record(12, route, spanContext('00f067aa0ba902ba', TraceFlags.SAMPLED));
    catalog.record(0.04, { 'catalog.endpoint': 'items', outcome: 'success' }, spanContext('00f067aa0ba902bb', TraceFlags.SAMPLED));
    served.add(3, { source: 'catalog\n"x"' });
  });
  after(async () => {
    await provider.shutdown();
  });

  it('answers OpenMetrics to the Accept headers of Prometheus 2 and 3, and text to none or a browser', () => {
    assert.equal(prefersOpenMetrics(PROMETHEUS_2_ACCEPT), true);
    assert.equal(prefersOpenMetrics(PROMETHEUS_3_ACCEPT), true);
    assert.equal(prefersOpenMetrics('application/openmetrics-text;q=0.4,text/plain;q=0.5'), false);
    assert.equal(prefersOpenMetrics('text/html,application/xhtml+xml,*/*;q=0.8'), false);
    assert.equal(prefersOpenMetrics('application/openmetrics-text;q=0'), false);
    assert.equal(prefersOpenMetrics(undefined), false);
  });

  it('serves OpenMetrics with exemplars of sampled spans, on the bucket each value falls in, newest kept', async () => {
    const response = await fetch(url, { headers: { accept: PROMETHEUS_2_ACCEPT } });
    assert.equal(response.headers.get('content-type'), 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    const text = await response.text();
    assertOpenMetricsGrammar(text);
    const series = 'http_request_method="GET",http_route="/api/recommendations",http_response_status_code="200"';
    const bucket = (le: string): string | undefined => text.split('\n').find((line) => line.startsWith(`http_server_request_duration_seconds_bucket{${series},le="${le}"}`));
    assert.equal(bucket('0.5'), `http_server_request_duration_seconds_bucket{${series},le="0.5"} 3 # {trace_id="${TRACE_ID}",span_id="00f067aa0ba902b8"} 0.31 1764600000.123`);
    assert.equal(bucket('+Inf'), `http_server_request_duration_seconds_bucket{${series},le="+Inf"} 4 # {trace_id="${TRACE_ID}",span_id="00f067aa0ba902ba"} 12 1764600000.123`);
    assert.equal(bucket('0.01'), `http_server_request_duration_seconds_bucket{${series},le="0.01"} 1`, 'no exemplar from an unsampled span');
    assert.ok(bucket('1.0')?.endsWith(' 3'), 'canonical le, no exemplar on a bucket the values only count in');
    assert.match(text, /app_catalog_request_duration_seconds_bucket\{catalog_endpoint="items",outcome="success",le="0.05"\} 1 # \{trace_id="[0-9a-f]{32}",span_id="00f067aa0ba902bb"\} 0.04 /);
    assert.match(text, /^# TYPE app_recommendations_served counter\n# HELP app_recommendations_served Recommendation responses\napp_recommendations_served_total\{source="catalog\\n\\"x\\""\} 3$/m);
    assert.match(text, /^# TYPE http_server_request_duration_seconds histogram\n# UNIT http_server_request_duration_seconds seconds\n/m);
    assert.match(text, /^# HELP app_catalog_request_duration_seconds Duration of one \\"catalog\\" HTTP attempt$/m);
    assert.match(text, /^# TYPE target info\n# HELP target Target metadata\ntarget_info\{service_name="app",service_version="say \\"1\\"\\\\2"\} 1$/m);
  });

  it('serves the exporter-prometheus text format unchanged when Accept does not ask for OpenMetrics', async () => {
    const response = await fetch(url, { headers: { accept: '*/*' } });
    assert.equal(response.headers.get('content-type'), 'text/plain');
    const text = await response.text();
    const { resourceMetrics } = await exporter.collect();
    assert.equal(text, new PrometheusSerializer(undefined, false, undefined, false, true).serialize(resourceMetrics));
    assert.doesNotMatch(text, /# EOF|trace_id/);
    assert.equal((await fetch(url.replace('/metrics', '/other'))).status, 404, 'only /metrics is served');
  });

  it('keeps every line inside the grammar whatever the label values and descriptions', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.double({ noNaN: true, min: 0, max: 1e9 }), (value, help, sample) => {
        const text = toOpenMetrics(
          {
            resource: resourceFromAttributes({ 'service.name': value }),
            scopeMetrics: [{ scope: { name: 'x' }, metrics: [gauge(help, value, sample)] }],
          },
          undefined,
          { withoutScopeInfo: true },
        );
        assertOpenMetricsGrammar(text);
      }),
    );
  });

  it('keeps at most one exemplar per bucket of at most maxSeries attribute sets per instrument', () => {
    const store = latencyExemplarStore({ maxSeries: 2, now: () => FIXED_NOW_MS });
    const histogram = new MeterProvider().getMeter('bounded').createHistogram('http.server.request.duration');
    const sampled = spanContext('00f067aa0ba902c1', TraceFlags.SAMPLED);
    for (const route of ['/a', '/b', '/c']) for (const value of [0.001, 0.002, 0.3]) store.record('http.server.request.duration', histogram, value, { 'http.route': route }, sampled);
    const kept = (route: string): Array<number | undefined> | undefined => store.forSeries('http.server.request.duration_seconds', { 'http.route': route })?.map((e) => e?.value);
    assert.deepEqual(kept('/a'), [0.002, undefined, undefined, undefined, undefined, undefined, 0.3, undefined, undefined, undefined, undefined, undefined]);
    assert.ok(kept('/b') !== undefined, 'the second series is kept');
    assert.equal(kept('/c'), undefined, 'a third series is over the bound and dropped');
  });

  it('writes le as the spec canonical numbers', () => {
    const examples = [0, 0.001, 0.002, 0.01, 0.1, 0.9, 0.95, 0.99, 0.999, 1, 1.7, 10, 1e-10, 1e-9, 1e-5, 0.0001, 100000, 1e6, 1e10, 1_048_576];
    assert.deepEqual(examples.map(canonicalFloat), [
      '0.0', '0.001', '0.002', '0.01', '0.1', '0.9', '0.95', '0.99', '0.999', '1.0', '1.7', '10.0',
      '1e-10', '1e-09', '1e-05', '0.0001', '100000.0', '1e+06', '1e+10', '1.048576e+06',
    ]);
  });
});
