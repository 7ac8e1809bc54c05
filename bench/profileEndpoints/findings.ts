import type { EndpointMeasurement } from './measureEndpoint.ts';

const MIB = 1024 * 1024;

/**
 * What the numbers of one endpoint say, with a recommendation where one applies: rules over measured values, each
 * naming the number that triggered it. `cached` is the cached counterpart of a cold measurement, when there is one.
 */
export function findingsFor(
  m: EndpointMeasurement,
  context: { baseline: EndpointMeasurement | undefined; cached: EndpointMeasurement | undefined; systemCpuPercent: number | undefined },
): string[] {
  const { baseline, cached } = context;
  const found: string[] = [];
  const { p50, p95 } = m.wallMs;
  const waitingShare = 1 - m.cpuMsPerRequest / m.wallMs.mean;
  const hottestApp = m.cpu.top.find((fn) => fn.location.startsWith('app/src/'));
  const busyMs = m.cpu.sampledMs - m.cpu.idleMs;
  const share = (component: string): number => m.breakdown.find((c) => c.component === component)?.percent ?? 0;

  if (m.endpoint.seed !== undefined) {
    const { ms, mib } = m.endpoint.seed;
    found.push(`Seed 000 measured ${ms} ms and +${mib} MiB; here p50 is ${fmtMs(p50)} ms and a request allocates ${fmtBytes(m.allocatedBytesPerRequest)}.`);
  }
  if (m.catalogCallsPerRequest >= 1 && cached !== undefined) {
    found.push(
      `Each cold request makes ${m.catalogCallsPerRequest.toFixed(1)} catalog calls and spends ${pct(waitingShare)} of its wall time waiting; ` +
        `the Redis cache brings p50 from ${fmtMs(p50)} to ${fmtMs(cached.wallMs.p50)} ms. Recommendation: keep CACHE_TTL_SECONDS long and serve stale copies (already done).`,
    );
  } else if (m !== baseline && waitingShare > 0.5 && p50 > 2) {
    found.push(
      `Mostly waiting: CPU is ${fmtMs(m.cpuMsPerRequest)} of ${fmtMs(m.wallMs.mean)} ms per request (mean); ` +
        `the rest is PostgreSQL/Redis round trips${busyMachine(context.systemCpuPercent) ? ' and, on this busy machine, waiting for a free core' : ''}.`,
    );
  }
  if (p95 > 4 * p50 && p95 - p50 > 2) {
    const machine = !busyMachine(context.systemCpuPercent) ? '' : `; the machine's CPUs were ${context.systemCpuPercent.toFixed(0)}% busy on average, so other processes account for part of it`;
    found.push(`Long tail: p95 is ${(p95 / p50).toFixed(1)}× p50; garbage collection took ${pct(m.cpu.garbageCollectorMs / Math.max(busyMs, 1e-9))} of busy CPU${machine}.`);
  }
  if (share('OpenTelemetry') > 20) {
    found.push(`OpenTelemetry instrumentation is ${share('OpenTelemetry').toFixed(0)}% of busy CPU. Recommendation: sample fewer traces (OTEL_TRACES_SAMPLER_ARG) or disable instrumentations you do not chart.`);
  }
  if (share('compression') > 15) {
    found.push(`gzip is ${share('compression').toFixed(0)}% of busy CPU (compression middleware, zlib included). Recommendation: compress only larger bodies (a higher \`threshold\`), a lower level, or let the reverse proxy compress.`);
  }
  if (share('pg driver') > 25) found.push(`The pg driver (row parsing) is ${share('pg driver').toFixed(0)}% of busy CPU. Recommendation: select only the columns the response needs.`);
  if (hottestApp !== undefined && busyMs > 0 && hottestApp.selfMs / busyMs > 0.1) {
    found.push(`App code hotspot: \`${hottestApp.functionName}\` (${hottestApp.location}) has ${pct(hottestApp.selfMs / busyMs)} of busy CPU as self time.`);
  }
  const topSite = m.allocations.top[0];
  if (m.allocatedBytesPerRequest > MIB && topSite !== undefined) {
    found.push(
      `Allocates ${fmtBytes(m.allocatedBytesPerRequest)} per request, the most in \`${topSite.functionName}\` (${topSite.location}, ${topSite.percent.toFixed(0)}%). ` +
        'Recommendation: build less per request (fewer, smaller objects), or cache the built result.',
    );
  }
  if (baseline !== undefined && m !== baseline && found.length <= (m.endpoint.seed === undefined ? 0 : 1)) {
    const above = p50 - baseline.wallMs.p50;
    found.push(`No hotspot: ${above < 1 ? 'within 1 ms of' : `${fmtMs(above)} ms above`} the health check's p50; no action needed.`);
  }
  return found;
}

function busyMachine(systemCpuPercent: number | undefined): systemCpuPercent is number {
  return systemCpuPercent !== undefined && systemCpuPercent > 70;
}

export function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function fmtBytes(bytes: number): string {
  if (Math.abs(bytes) >= MIB) return `${(bytes / MIB).toFixed(2)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export function pct(ratio: number): string {
  return `${(100 * ratio).toFixed(0)}%`;
}
