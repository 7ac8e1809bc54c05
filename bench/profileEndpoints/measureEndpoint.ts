import { getHeapStatistics } from 'node:v8';
import { catalogCallStats } from '../../app/src/profiling/catalogCallStats.ts';
import { recordCpuProfile, recordHeapProfile } from '../../app/src/profiling/inspectorProfiler.ts';
import { summarizeCpuProfile, type CpuProfileSummary } from '../../app/src/profiling/summarizeCpuProfile.ts';
import { summarizeHeapProfile, type HeapProfileSummary } from '../../app/src/profiling/summarizeHeapProfile.ts';
import { costBreakdown, type CostBreakdown } from './costBreakdown.ts';
import type { ProfiledEndpoint } from './endpoints.ts';

export interface MeasureOptions {
  /** Timed requests. */
  requests: number;
  /** Requests run under the CPU profiler, and again under the heap profiler. */
  profiledRequests: number;
  /** Untimed requests first, so the JIT and the connection pools are warm. */
  warmup: number;
}

export interface EndpointMeasurement {
  endpoint: ProfiledEndpoint;
  requests: number;
  wallMs: { p50: number; p95: number; p99: number; mean: number };
  /** This process's CPU time during the requests (the app, its telemetry and the in-process HTTP client). */
  cpuMsPerRequest: number;
  /** Bytes allocated per request, estimated by V8's sampling heap profiler, collected objects included. */
  allocatedBytesPerRequest: number;
  /** Heap used after the timed requests minus before (garbage collection makes this noisy). */
  heapGrowthBytes: number;
  catalogCallsPerRequest: number;
  /** Every function with self time, for the report's hot list. */
  cpu: CpuProfileSummary;
  breakdown: CostBreakdown;
  allocations: HeapProfileSummary;
}

/** Warms up, times `requests` requests one after the other, then profiles CPU and allocations over more of them. */
export async function measureEndpoint(endpoint: ProfiledEndpoint, options: MeasureOptions, progress: (phase: string, done: number, of: number) => void): Promise<EndpointMeasurement> {
  let i = 0;
  const run = async (count: number, phase: string, each?: (wallMs: number, cpuUs: number) => void): Promise<void> => {
    for (let n = 0; n < count; n++, i++) {
      await endpoint.before?.();
      if (each === undefined) await endpoint.send(i);
      else {
        const cpu = process.cpuUsage();
        const start = performance.now();
        await endpoint.send(i);
        const wallMs = performance.now() - start;
        const { user, system } = process.cpuUsage(cpu);
        each(wallMs, user + system);
      }
      if (n % 10 === 0 || n === count - 1) progress(phase, n + 1, count);
    }
  };

  await run(options.warmup, 'warm-up');
  const walls: number[] = [];
  let cpuUs = 0;
  const catalogCallsBefore = await catalogCalls();
  const heapBefore = getHeapStatistics().used_heap_size;
  await run(options.requests, 'timing', (wallMs, us) => {
    walls.push(wallMs);
    cpuUs += us;
  });
  const heapGrowthBytes = getHeapStatistics().used_heap_size - heapBefore;
  const catalogCallsPerRequest = ((await catalogCalls()) - catalogCallsBefore) / options.requests;

  const { profile: cpuProfile } = await recordCpuProfile(() => run(options.profiledRequests, 'CPU profile'), { samplingIntervalUs: 250 });
  const { profile: heapProfile } = await recordHeapProfile(() => run(options.profiledRequests, 'heap profile'), { samplingIntervalBytes: 8192, includeCollected: true });
  const allocations = summarizeHeapProfile(heapProfile, 5);

  walls.sort((a, b) => a - b);
  return {
    endpoint,
    requests: options.requests,
    wallMs: { p50: quantile(walls, 0.5), p95: quantile(walls, 0.95), p99: quantile(walls, 0.99), mean: walls.reduce((a, b) => a + b, 0) / walls.length },
    cpuMsPerRequest: cpuUs / 1000 / options.requests,
    allocatedBytesPerRequest: allocations.sampledBytes / options.profiledRequests,
    heapGrowthBytes,
    catalogCallsPerRequest,
    cpu: summarizeCpuProfile(cpuProfile, Infinity),
    breakdown: costBreakdown(cpuProfile),
    allocations,
  };
}

async function catalogCalls(): Promise<number> {
  return (await catalogCallStats()).reduce((sum, endpoint) => sum + endpoint.calls, 0);
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}
