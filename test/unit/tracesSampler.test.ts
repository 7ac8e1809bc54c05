import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSampler } from '../../app/src/telemetry/tracesSampler.ts';

test('without OTEL_TRACES_SAMPLER: parent-based, 10% of new traces', () => {
  assert.equal(defaultSampler({})?.toString(), 'ParentBased{root=TraceIdRatioBased{0.1}, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}');
});

test('with OTEL_TRACES_SAMPLER set, the choice is left to NodeSDK, which reads it and OTEL_TRACES_SAMPLER_ARG', () => {
  assert.equal(defaultSampler({ OTEL_TRACES_SAMPLER: 'always_on' }), undefined);
  assert.equal(defaultSampler({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }), undefined);
});
