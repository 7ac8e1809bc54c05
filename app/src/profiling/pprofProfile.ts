import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Function as PprofFunction, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import type { CpuProfile, HeapProfile } from './inspectorProfiler.ts';
import { sampleDurations } from './summarizeCpuProfile.ts';

type CallFrame = CpuProfile['nodes'][number]['callFrame'];

/**
 * The functions, locations and string table of one pprof profile, built from V8's call tree: one location per tree
 * node (its id), one function per distinct function name, script and position. pprof numbers lines from 1, V8 from 0.
 */
class PprofTables {
  readonly strings = new StringTable();
  readonly functions: PprofFunction[] = [];
  readonly locations: Location[] = [];
  readonly #functionIds = new Map<string, number>();

  valueType(type: string, unit: string): ValueType {
    return new ValueType({ type: this.strings.dedup(type), unit: this.strings.dedup(unit) });
  }

  addLocation(nodeId: number, frame: CallFrame): void {
    const key = `${frame.functionName}\n${frame.url}\n${frame.lineNumber}\n${frame.columnNumber}`;
    let functionId = this.#functionIds.get(key);
    if (functionId === undefined) {
      functionId = this.functions.length + 1;
      this.#functionIds.set(key, functionId);
      this.functions.push(
        new PprofFunction({
          id: functionId,
          name: this.strings.dedup(frame.functionName || '(anonymous)'),
          filename: this.strings.dedup(frame.url),
          startLine: frame.lineNumber + 1,
        }),
      );
    }
    this.locations.push(new Location({ id: nodeId, line: [new Line({ functionId, line: frame.lineNumber + 1 })] }));
  }
}

/**
 * A `.cpuprofile` as pprof: per call stack, the number of samples and the CPU time in nanoseconds (each sample lasts
 * until the next, as in summarizeCpuProfile()). The `(root)` frame is left out; `(idle)`, `(program)` and
 * `(garbage collector)` stay, as V8 reports them.
 */
export function cpuProfileToPprof(profile: CpuProfile): Profile {
  const tables = new PprofTables();
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const rootIds = new Set(profile.nodes.filter((node) => !parentOf.has(node.id)).map((node) => node.id));
  for (const node of profile.nodes) if (!rootIds.has(node.id)) tables.addLocation(node.id, node.callFrame);

  const counts = new Map<number, number>();
  for (const nodeId of profile.samples ?? []) counts.set(nodeId, (counts.get(nodeId) ?? 0) + 1);
  const durationsMs = sampleDurations(profile);
  const stackOf = (nodeId: number): number[] => {
    const stack: number[] = [];
    for (let id: number | undefined = nodeId; id !== undefined && !rootIds.has(id); id = parentOf.get(id)) stack.push(id);
    return stack;
  };
  const sample = [...counts].map(([nodeId, count]) => new Sample({ locationId: stackOf(nodeId), value: [count, Math.round((durationsMs.get(nodeId) ?? 0) * 1e6)] }));
  const samples = profile.samples?.length ?? 0;
  const durationNanos = Math.max(0, profile.endTime - profile.startTime) * 1000;
  const cpu = tables.valueType('cpu', 'nanoseconds');
  return new Profile({
    sampleType: [tables.valueType('samples', 'count'), cpu],
    sample,
    location: tables.locations,
    function: tables.functions,
    stringTable: tables.strings,
    // V8's times are microseconds of a monotonic clock, not epoch time: the profile carries no wall-clock start.
    durationNanos,
    periodType: cpu,
    period: samples > 0 ? Math.round(durationNanos / samples) : 0,
  });
}

/**
 * A `.heapprofile` as pprof: per allocation stack, the sampled bytes (`space`, as `go tool pprof` calls it). Node's
 * typings of the format have no node ids, so locations are numbered in tree order.
 */
export function heapProfileToPprof(profile: HeapProfile): Profile {
  const tables = new PprofTables();
  const sample: Sample[] = [];
  const walk = (node: HeapProfile['head'], parents: number[]): void => {
    const id = tables.locations.length + 1;
    tables.addLocation(id, node.callFrame);
    const stack = [id, ...parents];
    if (node.selfSize > 0) sample.push(new Sample({ locationId: stack, value: [node.selfSize] }));
    for (const child of node.children) walk(child, stack);
  };
  // The head is V8's `(root)`: its children are the outermost frames.
  for (const child of profile.head.children) walk(child, []);
  const space = tables.valueType('space', 'bytes');
  return new Profile({
    sampleType: [space],
    sample,
    location: tables.locations,
    function: tables.functions,
    stringTable: tables.strings,
    periodType: space,
  });
}

const gzipAsync = promisify(gzip);

/** The gzip-compressed protobuf that `go tool pprof`, Pyroscope and speedscope open (`.pb.gz`). */
export async function encodePprof(profile: Profile): Promise<Buffer> {
  return gzipAsync(await profile.encodeAsync());
}
