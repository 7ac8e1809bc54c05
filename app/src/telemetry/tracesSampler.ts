import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { logTelemetry } from './telemetryLog.ts';

/** Share of new traces kept when `OTEL_TRACES_SAMPLER` is not set. */
export const DEFAULT_SAMPLING_RATIO = 0.1;

/**
 * The sampler of `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`, as the specification defines them; when they
 * are not set, parent-based with a 10% ratio for new traces, so a request joins its caller's decision (one request =
 * one whole trace or none).
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv = process.env): Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim() || 'parentbased_traceidratio';
  const ratio = (): Sampler => new TraceIdRatioBasedSampler(ratioFrom(env.OTEL_TRACES_SAMPLER_ARG));
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio() });
    default:
      logTelemetry('warn', `unknown OTEL_TRACES_SAMPLER "${name}"; using parentbased_traceidratio`);
      return new ParentBasedSampler({ root: ratio() });
  }
}

function ratioFrom(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_SAMPLING_RATIO;
  const ratio = Number(text);
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return ratio;
  logTelemetry('warn', `OTEL_TRACES_SAMPLER_ARG "${text}" is not a ratio from 0 to 1; using ${DEFAULT_SAMPLING_RATIO}`);
  return DEFAULT_SAMPLING_RATIO;
}
