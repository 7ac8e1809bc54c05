import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard } from './dashboard.ts';
import { APP } from './datasources.ts';
import { timeSeries } from './panels.ts';
import { range, rateBy } from './queries.ts';
import { instanceVariable } from './variables.ts';

/** The Node.js process and the host (container) of each replica: CPU, memory, event loop, GC, heap, network, disk. */
export function runtimeHost(): Dashboard {
  return buildDashboard({
    uid: 'runtime-host',
    title: 'Runtime and host',
    description: 'Per replica: CPU, memory, event loop, garbage collection, V8 heap, network and disk I/O. EventLoopStall and TargetDown link here.',
    variables: [instanceVariable()],
    sections: [
      {
        title: 'CPU and memory',
        panels: [
          timeSeries({
            title: 'Process CPU', description: 'CPU seconds per second (1 = one core busy), user and system.', unit: 'short', span: 8, stacked: true,
            targets: [range(rateBy('process_cpu_time_seconds_total', APP, ['instance', 'process_cpu_state']), '{{instance}} {{process_cpu_state}}')],
          }),
          timeSeries({
            title: 'Host CPU utilization', description: 'Busy share of the host\'s (container\'s) CPUs, by state, averaged over its cores.', unit: 'percentunit', span: 8,
            targets: [range(`avg by (instance, system_cpu_state) (system_cpu_utilization_ratio{${APP}, system_cpu_state!="idle"})`, '{{instance}} {{system_cpu_state}}')],
          }),
          timeSeries({
            title: 'Memory', description: 'Resident set size of the process, and the host\'s used memory.', unit: 'bytes', span: 8,
            targets: [
              range(`sum by (instance) (process_memory_usage_bytes{${APP}})`, 'RSS {{instance}}'),
              range(`sum by (instance) (system_memory_usage_bytes{${APP}, system_memory_state="used"})`, 'host used {{instance}}'),
            ],
          }),
        ],
      },
      {
        title: 'Node.js runtime',
        panels: [
          timeSeries({
            title: 'Event loop delay', description: 'p50 and p99 of the event loop delay; EventLoopStall fires when p99 stays above 100 ms.', unit: 's', span: 8,
            thresholds: [[0.1, 'red']], thresholdLines: true,
            targets: [
              range(`max by (instance) (nodejs_eventloop_delay_p99_seconds{${APP}})`, 'p99 {{instance}}'),
              range(`max by (instance) (nodejs_eventloop_delay_p50_seconds{${APP}})`, 'p50 {{instance}}'),
            ],
          }),
          timeSeries({
            title: 'Event loop utilization', description: 'Share of time the event loop is busy; near 1 the replica is CPU-bound.', unit: 'percentunit', span: 8,
            targets: [range(`max by (instance) (nodejs_eventloop_utilization_ratio{${APP}})`, '{{instance}}')],
          }),
          timeSeries({
            title: 'Active handles', description: 'Timers, sockets and other libuv resources keeping the process busy, by type.', span: 8,
            targets: [range(`sum by (instance, v8js_resource_type) (v8js_resource_active{${APP}})`, '{{instance}} {{v8js_resource_type}}')],
          }),
          timeSeries({
            title: 'GC time', description: 'Seconds spent in garbage collection per second, by kind (minor, major, incremental, weakcb).', unit: 'percentunit', span: 8, stacked: true,
            targets: [range(rateBy('v8js_gc_duration_seconds_sum', APP, ['instance', 'v8js_gc_type']), '{{instance}} {{v8js_gc_type}}')],
          }),
          timeSeries({
            title: 'GC runs', description: 'Garbage collections per second, by kind.', unit: 'ops', span: 8,
            targets: [range(rateBy('v8js_gc_duration_seconds_count', APP, ['instance', 'v8js_gc_type']), '{{instance}} {{v8js_gc_type}}')],
          }),
          timeSeries({
            title: 'V8 heap', description: 'Heap used and heap size over all spaces; used growing without bound between major GCs is a leak.', unit: 'bytes', span: 8,
            targets: [
              range(`sum by (instance) (v8js_memory_heap_used_bytes{${APP}})`, 'used {{instance}}'),
              range(`sum by (instance) (v8js_memory_heap_space_size_bytes{${APP}})`, 'size {{instance}}'),
            ],
          }),
        ],
      },
      {
        title: 'Network and disk',
        panels: [
          timeSeries({
            title: 'Network I/O', description: 'Bytes per second over all interfaces of the host (container), received and transmitted.', unit: 'Bps', span: 8,
            targets: [range(rateBy('system_network_io_bytes_total', APP, ['instance', 'network_io_direction']), '{{instance}} {{network_io_direction}}')],
          }),
          timeSeries({
            title: 'Network errors and drops', description: 'Packets per second in error or dropped, all interfaces.', unit: 'pps', span: 8,
            targets: [
              range(rateBy('system_network_errors_total', APP, ['instance']), 'errors {{instance}}'),
              range(rateBy('system_network_dropped_total', APP, ['instance']), 'dropped {{instance}}'),
            ],
          }),
          timeSeries({
            title: 'Disk I/O of the process', description: 'Bytes per second the process reads and writes (from /proc/self/io): logs, profiles.', unit: 'Bps', span: 8,
            targets: [range(rateBy('process_disk_io_bytes_total', APP, ['instance', 'disk_io_direction']), '{{instance}} {{disk_io_direction}}')],
          }),
        ],
      },
      {
        title: 'Scraping',
        panels: [
          timeSeries({
            title: 'Up', description: '1 while Prometheus scrapes the replica.', span: 12,
            targets: [range(`up{${APP}}`, '{{instance}}')],
          }),
          timeSeries({
            title: 'Scrape duration', description: 'How long one scrape of /metrics takes (host metrics make it slower).', unit: 's', span: 12,
            targets: [range(`scrape_duration_seconds{${APP}}`, '{{instance}}')],
          }),
        ],
      },
    ],
  });
}
