import type { DataPoint, Histogram, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_ROUTE, METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';
import { histogramPoints, mergeHistograms, numberPoints } from '../telemetry/snapshotQueries.ts';

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

export const toMilliseconds = (seconds: number | undefined): number | undefined => (seconds === undefined ? undefined : seconds * 1000);

/** The sum over every attribute set (CPU states, heap spaces), or undefined when the instrument is absent. */
function total(points: DataPoint<number>[]): number | undefined {
  return points.length === 0 ? undefined : points.reduce((sum, point) => sum + point.value, 0);
}

export function readResources(snapshot: ResourceMetrics): ResourceReading {
  return {
    cpuSeconds: total(numberPoints(snapshot, 'process.cpu.time')),
    rssBytes: total(numberPoints(snapshot, 'process.memory.usage')),
    heapUsedBytes: total(numberPoints(snapshot, 'v8js.memory.heap.used')),
    eventLoopDelayP99Ms: toMilliseconds(total(numberPoints(snapshot, 'nodejs.eventloop.delay.p99'))),
    eventLoopUtilization: total(numberPoints(snapshot, 'nodejs.eventloop.utilization')),
  };
}

/** Cumulative request durations per endpoint (`GET /api/tasks/:id`, all status codes), from the histogram Prometheus scrapes. */
export function readEndpointDurations(snapshot: ResourceMetrics): Map<string, Histogram> {
  const byEndpoint = Map.groupBy(
    histogramPoints(snapshot, METRIC_HTTP_SERVER_REQUEST_DURATION),
    (point) => `${String(point.attributes[ATTR_HTTP_REQUEST_METHOD])} ${String(point.attributes[ATTR_HTTP_ROUTE])}`,
  );
  return new Map([...byEndpoint].map(([endpoint, points]) => [endpoint, mergeHistograms(points)!]));
}
