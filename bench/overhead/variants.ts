/** How bench:overhead starts the app (dist/, as `npm start` does) for each of the compared set-ups. */
export interface Variant {
  key: string;
  label: string;
  /** Modules the app process loads with `node --import` before dist/app/src/main.js. */
  imports: string[];
  env: Record<string, string>;
}

/** The telemetry entry `npm start` imports (the bundle of app/build/bundleTelemetry.ts). */
export const TELEMETRY_ENTRY = './dist/telemetry/register.js';

export const VARIANTS: Variant[] = [
  { key: 'a', label: 'telemetry off (OTEL_SDK_DISABLED=true)', imports: [TELEMETRY_ENTRY], env: { OTEL_SDK_DISABLED: 'true' } },
  { key: 'b', label: 'telemetry as shipped (10% of traces)', imports: [TELEMETRY_ENTRY], env: {} },
  { key: 'c', label: 'prom-client + express-prom-bundle, no traces', imports: ['./bench/overhead/promBundleEntry.ts'], env: {} },
  { key: 'd', label: 'telemetry, 100% of traces', imports: [TELEMETRY_ENTRY], env: { OTEL_TRACES_SAMPLER: 'parentbased_always_on' } },
];

/** With BENCH_FEATURES=true: what log export and exemplars each cost, as (b) without one of them. */
export const FEATURE_VARIANTS: Variant[] = [
  { key: 'e', label: 'as shipped, no log export (OTEL_LOGS_EXPORTER=none)', imports: [TELEMETRY_ENTRY], env: { OTEL_LOGS_EXPORTER: 'none' } },
  { key: 'f', label: 'as shipped, no exemplars (OTEL_METRICS_EXEMPLAR_FILTER=always_off)', imports: [TELEMETRY_ENTRY], env: { OTEL_METRICS_EXEMPLAR_FILTER: 'always_off' } },
];
