import { codeSite } from '../../app/src/profiling/callFrameSite.ts';
import type { CpuProfile } from '../../app/src/profiling/inspectorProfiler.ts';
import { sampleDurations } from '../../app/src/profiling/summarizeCpuProfile.ts';

/** Where a CPU profile's busy time went, by component, largest first; percentages of busy (non-idle) time. */
export type CostBreakdown = { component: string; ms: number; percent: number }[];

/** The profiler's own work at start and stop (node:inspector); the report leaves it out of its hot lists. */
export const PROFILER = 'profiler itself';
/** The report's own in-process work: the HTTP client driving the requests, the resource monitor. Not the server's. */
export const HTTP_CLIENT = 'HTTP client (fetch)';
export const REPORT_DRIVER = 'report driver';

/** The share (0–1) of busy CPU that the server itself used: everything but the report's driver, client and profiler. */
export function serverShare(breakdown: CostBreakdown): number {
  const driver = breakdown.filter((c) => [PROFILER, HTTP_CLIENT, REPORT_DRIVER].includes(c.component)).reduce((sum, c) => sum + c.percent, 0);
  return 1 - driver / 100;
}

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
  if (modules !== undefined) return PACKAGE_COMPONENTS.find(([pattern]) => pattern.test(modules))?.[1] ?? 'express & other packages';
  if (location.startsWith('app/src/telemetry/')) return 'OpenTelemetry';
  if (location.startsWith('app/src/profiling/') || location.startsWith('app/src/procfs/') || location.startsWith('bench/')) return REPORT_DRIVER;
  if (location.startsWith('app/src/')) return 'app code';
  if (location.startsWith('catalog/src/')) return 'catalog stand-in';
  if (location.includes('deps/undici')) return HTTP_CLIENT;
  if (location.startsWith('node:inspector')) return PROFILER;
  if (location.startsWith('node:zlib')) return 'compression';
  if (location.startsWith('node:internal/streams')) return 'node streams';
  if (location.startsWith('node:')) return 'node core (http, net, timers)';
  return 'V8 & native';
}

const PSEUDO: Record<string, string> = { '(garbage collector)': 'garbage collection', '(program)': 'V8 & native' };

/** Node's own streams, sockets and timers: their work counts for the package or app code that asked for it. */
const GENERIC = new Set(['node core (http, net, timers)', 'node streams']);

/**
 * Busy time by component. Native functions (a socket write, JSON.parse, a zlib call) and Node's generic internals
 * count for the nearest caller that is a package or app code, so that the pg driver's socket writes show as the pg
 * driver and gzip's as compression; only work nothing of ours asked for (the event loop, request parsing) stays "node core".
 */
export function costBreakdown(profile: CpuProfile): CostBreakdown {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const componentOfNode = (id: number): string => {
    let generic: string | undefined;
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      const frame = byId.get(current)?.callFrame;
      if (frame === undefined || frame.url === '') continue;
      const component = componentOf(codeSite(frame).location);
      if (!GENERIC.has(component)) return component;
      generic ??= component;
    }
    return generic ?? 'V8 & native';
  };
  const ms = new Map<string, number>();
  let busy = 0;
  for (const [id, duration] of sampleDurations(profile)) {
    const name = byId.get(id)?.callFrame.functionName ?? '';
    if (name === '(idle)') continue;
    busy += duration;
    const component = PSEUDO[name] ?? componentOfNode(id);
    ms.set(component, (ms.get(component) ?? 0) + duration);
  }
  return [...ms]
    .map(([component, value]) => ({ component, ms: value, percent: busy === 0 ? 0 : (100 * value) / busy }))
    .sort((a, b) => b.ms - a.ms);
}
