import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { histogramQuantile } from './histogramQuantile.ts';
import type { MetricsHistory } from './MetricsHistory.ts';
import type { SlowRequest, SlowRequestLog } from './SlowRequestLog.ts';
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
}

export interface MetricsReportSources {
  snapshot: ResourceMetrics | undefined;
  history: MetricsHistory;
  slowRequests: SlowRequestLog;
}

/** The body of `GET /api/metrics`: the numbers Prometheus scrapes, read in-process, plus the slow request log. */
export function metricsReport({ snapshot, history, slowRequests }: MetricsReportSources): MetricsReport {
  const slow = slowRequests.list();
  if (snapshot === undefined) return { telemetry: false, resources: undefined, requests: [], slowRequests: slow };
  const requests = [...readEndpointDurations(snapshot)].map(([endpoint, durations]) => ({
    endpoint,
    count: durations.count,
    meanMs: durations.count === 0 ? 0 : (durations.sumSeconds / durations.count) * 1000,
    p50Ms: toMilliseconds(histogramQuantile(0.5, durations)),
    p95Ms: toMilliseconds(histogramQuantile(0.95, durations)),
    p99Ms: toMilliseconds(histogramQuantile(0.99, durations)),
  }));
  return {
    telemetry: true,
    // CPU utilization needs two readings: it is the latest history sample's.
    resources: { ...readResources(snapshot), cpuUtilization: history.samples().at(-1)?.cpuUtilization },
    requests: requests.sort((a, b) => a.endpoint.localeCompare(b.endpoint)),
    slowRequests: slow,
  };
}
