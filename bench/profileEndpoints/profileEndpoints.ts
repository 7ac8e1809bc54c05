import { cpus, loadavg } from 'node:os';
import { catalogCallStats, type CatalogCallStats } from '../../app/src/profiling/catalogCallStats.ts';
import { ResourceMonitor, type ResourceSummary } from '../../app/src/profiling/ResourceMonitor.ts';
import { profiledEndpoints } from './endpoints.ts';
import { measureEndpoint, type EndpointMeasurement, type MeasureOptions } from './measureEndpoint.ts';
import { startProfiledStack, type StackOptions } from './startProfiledStack.ts';

export type ProfileRunOptions = StackOptions & MeasureOptions;

export interface ProfileRun {
  options: ProfileRunOptions;
  startedAt: Date;
  durationMs: number;
  machine: string;
  measurements: EndpointMeasurement[];
  catalog: CatalogCallStats[];
  resources: ResourceSummary;
}

/** Starts the stack, measures every endpoint in turn, stops the stack, and returns everything the report shows. */
export async function profileEndpoints(options: ProfileRunOptions, progress: (line: string) => void): Promise<ProfileRun> {
  const startedAt = new Date();
  const stack = await startProfiledStack(options, progress);
  const monitor = new ResourceMonitor();
  monitor.start(1000);
  const measurements: EndpointMeasurement[] = [];
  try {
    const endpoints = profiledEndpoints(stack);
    for (const [index, endpoint] of endpoints.entries()) {
      const measured = await measureEndpoint(endpoint, options, (phase, done, of) => progress(`[${index + 1}/${endpoints.length}] ${endpoint.name}: ${phase} ${done}/${of}`));
      measurements.push(measured);
    }
    const catalog = await catalogCallStats();
    const { summary: resources } = monitor.stop();
    const cpu = cpus();
    const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'} (load average ${loadavg()[0]!.toFixed(1)} at the end), Node ${process.version}`;
    return { options, startedAt, durationMs: Date.now() - startedAt.getTime(), machine, measurements, catalog, resources };
  } finally {
    await stack.stop();
  }
}
