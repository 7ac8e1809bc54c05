import { ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';

/** Share of new traces kept when `OTEL_TRACES_SAMPLER` is not set. */
export const DEFAULT_SAMPLING_RATIO = 0.1;

/**
 * The sampler: parent-based, so a request joins its caller's decision (one request = one whole trace or none), with
 * a 10% ratio for new traces by default. When `OTEL_TRACES_SAMPLER` (and `OTEL_TRACES_SAMPLER_ARG`) are set the SDK
 * reads them itself, so this returns undefined.
 */
export function defaultSampler(env: NodeJS.ProcessEnv = process.env): Sampler | undefined {
  if (env.OTEL_TRACES_SAMPLER !== undefined && env.OTEL_TRACES_SAMPLER !== '') return undefined;
  return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(DEFAULT_SAMPLING_RATIO) });
}
