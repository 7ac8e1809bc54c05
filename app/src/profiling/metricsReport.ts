import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { histogramQuantile } from '../telemetry/snapshotQueries.ts';
import { catalogCallStatsOf, type CatalogCallStats } from './catalogCallStats.ts';
import type { MetricsHistory } from './MetricsHistory.ts';
import type { SlowRequest, SlowRequestLog } from './SlowRequestLog.ts';
import { functionTimings, type FunctionTiming } from './timed.ts';
import { readEndpointDurations, readResources, toMilliseconds, type ResourceReading } from './snapshotReadings.ts';

/** Request durations of one endpoint since the process started, estimated from the histogram buckets. */
export interface EndpointSummary {
  endpoint: string;
  count: number;
  meanMs: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  p99Ms: number | undefined;
}

export interface MetricsReport {
  /** False when OpenTelemetry is off (OTEL_SDK_DISABLED): then there are no resources or request durations. */
  telemetry: boolean;
  resources: (ResourceReading & { cpuUtilization: number | undefined }) | undefined;
  requests: EndpointSummary[];
  slowRequests: SlowRequest[];
  /** Functions wrapped in timed() (profiling toolkit), the most total time first. */
  functionTimings: FunctionTiming[];
  /** Outbound catalog calls per catalog endpoint. */
  catalogCalls: CatalogCallStats[];
}

export interface MetricsReportSources {
  snapshot: ResourceMetrics | undefined;
  history: MetricsHistory;
  slowRequests: SlowRequestLog;
}

/**
 * The body of `GET /api/metrics`: the numbers Prometheus scrapes, read in-process, the slow request log and timed()
 * functions' in-process statistics.
 */
export function metricsReport({ snapshot, history, slowRequests }: MetricsReportSources): MetricsReport {
  const always = { slowRequests: slowRequests.list(), functionTimings: functionTimings(), catalogCalls: catalogCallStatsOf(snapshot) };
  if (snapshot === undefined) return { telemetry: false, resources: undefined, requests: [], ...always };
  const requests = [...readEndpointDurations(snapshot)].map(([endpoint, durations]) => ({
    endpoint,
    count: durations.count,
    meanMs: durations.count === 0 ? 0 : ((durations.sum ?? 0) / durations.count) * 1000,
    p50Ms: toMilliseconds(histogramQuantile(0.5, durations)),
    p95Ms: toMilliseconds(histogramQuantile(0.95, durations)),
    p99Ms: toMilliseconds(histogramQuantile(0.99, durations)),
  }));
  return {
    telemetry: true,
    // CPU utilization needs two readings: it is the latest history sample's.
    resources: { ...readResources(snapshot), cpuUtilization: history.samples().at(-1)?.cpuUtilization },
    requests: requests.sort((a, b) => a.endpoint.localeCompare(b.endpoint)),
    ...always,
  };
}
