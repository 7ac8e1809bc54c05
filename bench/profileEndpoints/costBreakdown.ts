import type { CpuProfileSummary } from '../../app/src/profiling/summarizeCpuProfile.ts';

/** Where a CPU profile's busy time went, by component, largest first; percentages of busy (non-idle) time. */
export type CostBreakdown = { component: string; ms: number; percent: number }[];

const PACKAGE_COMPONENTS: [RegExp, string][] = [
  [/^(pg|pg-protocol|pg-pool|pg-types|postgres-\w+|pgpass)$/, 'pg driver'],
  [/^(ioredis|redis-parser|redis-errors|cluster-key-slot|standard-as-callback)$/, 'ioredis'],
  [/^(@opentelemetry\/.+|import-in-the-middle|require-in-the-middle|shimmer)$/, 'OpenTelemetry'],
  [/^(pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|on-exit-leak-free)$/, 'pino logging'],
  [/^(compression|compressible|negotiator|accepts|bytes|vary)$/, 'compression'],
  [/^zod$/, 'zod validation'],
];

/** The component a function belongs to, from its location (`node_modules/<package>/…`, `app/src/…`, `node:…`). */
export function componentOf(location: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(location)?.[1];
  if (modules !== undefined) return PACKAGE_COMPONENTS.find(([pattern]) => pattern.test(modules))?.[1] ?? `express & other packages`;
  if (location.startsWith('app/src/')) return 'app code';
  if (location.startsWith('catalog/src/')) return 'catalog stand-in';
  if (location.startsWith('bench/')) return 'report driver';
  if (location.includes('deps/undici')) return 'HTTP client (fetch)';
  if (location.startsWith('node:inspector')) return PROFILER;
  if (location.startsWith('node:zlib') || location.includes('internal/streams')) return 'node streams & zlib';
  if (location.startsWith('node:')) return 'node core (http, net, timers)';
  return 'V8 & native';
}

/** The profiler's own work at start and stop (node:inspector); the report leaves it out of its hot lists. */
export const PROFILER = 'profiler itself';

export function costBreakdown(cpu: CpuProfileSummary): CostBreakdown {
  const ms = new Map<string, number>([['garbage collection', cpu.garbageCollectorMs], ['V8 & native', cpu.programMs]]);
  for (const fn of cpu.top) ms.set(componentOf(fn.location), (ms.get(componentOf(fn.location)) ?? 0) + fn.selfMs);
  const busy = cpu.sampledMs - cpu.idleMs;
  return [...ms]
    .filter(([, value]) => value > 0)
    .map(([component, value]) => ({ component, ms: value, percent: busy === 0 ? 0 : (100 * value) / busy }))
    .sort((a, b) => b.ms - a.ms);
}
