import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { exemplarsEnabledFromEnv, otlpExportEnabled, propagatorFromEnv, spanLimitsFromEnv } from '../../app/src/telemetry/sdkEnv.ts';
import { configuredSampler } from '../../app/src/telemetry/tracesSampler.ts';

// The OTEL_* variables are read from process.env, as the specification says; each test sets and restores its own.
const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});
function withEnv(values: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('OTEL_')) delete process.env[key];
  Object.assign(process.env, values);
}

test('without OTEL_TRACES_SAMPLER: parent-based, 10% of new traces', () => {
  withEnv({});
  assert.equal(
    configuredSampler().toString(),
    'ParentBased{root=TraceIdRatioBased{0.1}, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}',
  );
});

test('OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG choose the sampler by the names of the specification', () => {
  const cases: [Record<string, string>, string][] = [
    [{ OTEL_TRACES_SAMPLER: 'always_on' }, 'AlwaysOnSampler'],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, 'AlwaysOffSampler'],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, 'TraceIdRatioBased{0.25}'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, 'ParentBased{root=AlwaysOnSampler'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, 'ParentBased{root=AlwaysOffSampler'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' }, 'ParentBased{root=TraceIdRatioBased{0.5}'],
    // Out of range or missing: the specification's default ratio, 1.
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' }, 'TraceIdRatioBased{1}'],
    // Unknown: the app's default.
    [{ OTEL_TRACES_SAMPLER: 'jaeger_remote' }, 'ParentBased{root=TraceIdRatioBased{0.1}'],
  ];
  for (const [env, expected] of cases) {
    withEnv(env);
    assert.ok(configuredSampler().toString().startsWith(expected), `${JSON.stringify(env)}: ${configuredSampler().toString()}`);
  }
});

test('OTEL_PROPAGATORS: tracecontext and baggage by default, either alone, or none', () => {
  withEnv({});
  assert.deepEqual(propagatorFromEnv()?.fields(), ['traceparent', 'tracestate', 'baggage']);
  withEnv({ OTEL_PROPAGATORS: 'tracecontext' });
  assert.deepEqual(propagatorFromEnv()?.fields(), ['traceparent', 'tracestate']);
  withEnv({ OTEL_PROPAGATORS: 'baggage,b3' });
  assert.deepEqual(propagatorFromEnv()?.fields(), ['baggage'], 'b3 is not available here and is left out with a warning');
  withEnv({ OTEL_PROPAGATORS: 'none' });
  assert.equal(propagatorFromEnv(), undefined);
});

test('span limits come from OTEL_SPAN_*_LIMIT, falling back to OTEL_ATTRIBUTE_*_LIMIT', () => {
  withEnv({ OTEL_ATTRIBUTE_COUNT_LIMIT: '64', OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '256', OTEL_SPAN_EVENT_COUNT_LIMIT: '16' });
  assert.deepEqual(spanLimitsFromEnv(), { attributeCountLimit: 64, attributeValueLengthLimit: 256, eventCountLimit: 16 });
  withEnv({});
  assert.deepEqual(spanLimitsFromEnv(), {});
});

test('OTEL_TRACES_EXPORTER and OTEL_LOGS_EXPORTER: otlp unless none', () => {
  withEnv({});
  assert.equal(otlpExportEnabled('OTEL_TRACES_EXPORTER'), true);
  withEnv({ OTEL_TRACES_EXPORTER: 'none' });
  assert.equal(otlpExportEnabled('OTEL_TRACES_EXPORTER'), false);
  withEnv({ OTEL_LOGS_EXPORTER: 'otlp' });
  assert.equal(otlpExportEnabled('OTEL_LOGS_EXPORTER'), true);
});

test('OTEL_METRICS_EXEMPLAR_FILTER: exemplars from sampled spans unless always_off', () => {
  withEnv({});
  assert.equal(exemplarsEnabledFromEnv(), true);
  withEnv({ OTEL_METRICS_EXEMPLAR_FILTER: 'trace_based' });
  assert.equal(exemplarsEnabledFromEnv(), true);
  withEnv({ OTEL_METRICS_EXEMPLAR_FILTER: 'always_off' });
  assert.equal(exemplarsEnabledFromEnv(), false);
});
