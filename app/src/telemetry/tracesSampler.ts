import { ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';
import { samplerFromEnv } from './sdkEnv.ts';

/** Share of new traces kept when `OTEL_TRACES_SAMPLER` is not set. */
export const DEFAULT_SAMPLING_RATIO = 0.1;

/**
 * The sampler: what `OTEL_TRACES_SAMPLER` (and `OTEL_TRACES_SAMPLER_ARG`) say, else parent-based with a 10% ratio for
 * new traces, so a request joins its caller's decision (one request = one whole trace or none).
 */
export function configuredSampler(): Sampler {
  return samplerFromEnv() ?? new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(DEFAULT_SAMPLING_RATIO) });
}
