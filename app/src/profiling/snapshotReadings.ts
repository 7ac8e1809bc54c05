import { DataPointType, type Histogram, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_ROUTE, METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';
import type { Buckets } from './histogramQuantile.ts';

/** The process's resources as the OpenTelemetry instruments (host-metrics, runtime-node) report them. */
export interface ResourceReading {
  /** Process CPU time so far, user and system. */
  cpuSeconds: number | undefined;
  rssBytes: number | undefined;
  heapUsedBytes: number | undefined;
  eventLoopDelayP99Ms: number | undefined;
  /** Share of time the event loop was busy (0–1). */
  eventLoopUtilization: number | undefined;
}

/** Cumulative `http.server.request.duration` of one endpoint (`GET /api/tasks/:id`), all status codes together. */
export interface EndpointDurations extends Buckets {
  count: number;
  sumSeconds: number;
}

function findMetric(snapshot: ResourceMetrics, name: string): MetricData | undefined {
  for (const scope of snapshot.scopeMetrics) for (const metric of scope.metrics) if (metric.descriptor.name === name) return metric;
  return undefined;
}

/** The sum over every attribute set of a counter or gauge, or undefined when the instrument is absent. */
function total(snapshot: ResourceMetrics, name: string): number | undefined {
  const metric = findMetric(snapshot, name);
  if (metric === undefined || (metric.dataPointType !== DataPointType.SUM && metric.dataPointType !== DataPointType.GAUGE)) return undefined;
  return metric.dataPoints.reduce((sum, point) => sum + point.value, 0);
}

export const toMilliseconds = (seconds: number | undefined): number | undefined => (seconds === undefined ? undefined : seconds * 1000);

export function readResources(snapshot: ResourceMetrics): ResourceReading {
  return {
    cpuSeconds: total(snapshot, 'process.cpu.time'),
    rssBytes: total(snapshot, 'process.memory.usage'),
    heapUsedBytes: total(snapshot, 'v8js.memory.heap.used'),
    eventLoopDelayP99Ms: toMilliseconds(total(snapshot, 'nodejs.eventloop.delay.p99')),
    eventLoopUtilization: total(snapshot, 'nodejs.eventloop.utilization'),
  };
}

/** Request durations per endpoint (method and route template), from the histogram Prometheus scrapes. */
export function readEndpointDurations(snapshot: ResourceMetrics): Map<string, EndpointDurations> {
  const endpoints = new Map<string, EndpointDurations>();
  const metric = findMetric(snapshot, METRIC_HTTP_SERVER_REQUEST_DURATION);
  if (metric?.dataPointType !== DataPointType.HISTOGRAM) return endpoints;
  for (const point of metric.dataPoints) {
    const endpoint = `${String(point.attributes[ATTR_HTTP_REQUEST_METHOD])} ${String(point.attributes[ATTR_HTTP_ROUTE])}`;
    const value: Histogram = point.value;
    const seen = endpoints.get(endpoint);
    if (seen === undefined) {
      endpoints.set(endpoint, { boundaries: value.buckets.boundaries, counts: [...value.buckets.counts], count: value.count, sumSeconds: value.sum ?? 0 });
      continue;
    }
    seen.count += value.count;
    seen.sumSeconds += value.sum ?? 0;
    seen.counts = seen.counts.map((count, index) => count + (value.buckets.counts[index] ?? 0));
  }
  return endpoints;
}
