import assert from 'node:assert/strict';
import { test } from 'node:test';
import { samplerFromEnv } from '../../app/src/telemetry/tracesSampler.ts';

test('without OTEL_TRACES_SAMPLER: parent-based, 10% of new traces', () => {
  assert.equal(samplerFromEnv({}).toString(), 'ParentBased{root=TraceIdRatioBased{0.1}, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}');
});

test('OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG as the specification names them', () => {
  assert.equal(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_on' }).toString(), 'AlwaysOnSampler');
  assert.equal(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }).toString(), 'AlwaysOffSampler');
  assert.equal(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }).toString(), 'TraceIdRatioBased{0.25}');
  assert.match(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }).toString(), /^ParentBased\{root=AlwaysOnSampler,/);
  assert.match(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' }).toString(), /^ParentBased\{root=TraceIdRatioBased\{1\},/);
});

test('an out-of-range ratio falls back to 10%', () => {
  assert.equal(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' }).toString(), 'TraceIdRatioBased{0.1}');
});
