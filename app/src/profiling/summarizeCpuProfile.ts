import { codeSite, siteKey, type CodeSite } from './callFrameSite.ts';
import type { CpuProfile } from './inspectorProfiler.ts';

/** One function of a CPU profile, all its call paths merged. */
export interface HotFunction extends CodeSite {
  /** Time with this function on top of the stack. */
  selfMs: number;
  /** selfMs as a share of all sampled time, idle included (0–100). */
  selfPercent: number;
  /** Time with this function anywhere on the stack (recursion counted once). */
  totalMs: number;
}

export interface CpuProfileSummary {
  /** From the first to the last sample. */
  sampledMs: number;
  /** Nothing to run: the event loop waited (for I/O, timers). */
  idleMs: number;
  /** V8 and Node's own work outside JavaScript functions (parsing, compiling, native bindings). */
  programMs: number;
  garbageCollectorMs: number;
  /** The hottest functions by self time, the V8 pseudo-functions above excluded. */
  top: HotFunction[];
}

const PSEUDO_FUNCTIONS = new Map<string, 'idleMs' | 'programMs' | 'garbageCollectorMs'>([
  ['(idle)', 'idleMs'],
  ['(program)', 'programMs'],
  ['(garbage collector)', 'garbageCollectorMs'],
]);

/**
 * The hottest functions of a V8 CPU profile by self time, computed from its samples and time deltas (the way Chrome
 * DevTools does it: sample i lasts until sample i+1).
 *
 * @example
 *   const { top } = summarizeCpuProfile(profile, 5);
 *   // [{ functionName: 'rankItems', location: 'app/src/recommendations/rankItems.ts:12', selfMs: 41.2, selfPercent: 37, totalMs: 44 }, …]
 */
export function summarizeCpuProfile(profile: CpuProfile, top = 10): CpuProfileSummary {
  const parentOf = new Map<number, number>();
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const selfByNode = sampleDurations(profile);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const pseudo = { idleMs: 0, programMs: 0, garbageCollectorMs: 0 };
  let sampledMs = 0;
  for (const [nodeId, ms] of selfByNode) {
    const node = nodeById.get(nodeId);
    if (node === undefined) continue;
    sampledMs += ms;
    const pseudoField = PSEUDO_FUNCTIONS.get(node.callFrame.functionName);
    if (pseudoField !== undefined) {
      pseudo[pseudoField] += ms;
      continue;
    }
    const key = siteKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + ms);
    for (const stackKey of stackKeys(nodeId, nodeById, parentOf)) total.set(stackKey, (total.get(stackKey) ?? 0) + ms);
  }

  const frames = new Map(profile.nodes.map((node) => [siteKey(node.callFrame), node.callFrame]));
  const hot = [...self]
    .filter(([key]) => frames.get(key)?.functionName !== '(root)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, selfMs]) => ({
      ...codeSite(frames.get(key)!),
      selfMs: round(selfMs),
      selfPercent: round(sampledMs === 0 ? 0 : (100 * selfMs) / sampledMs),
      totalMs: round(total.get(key) ?? selfMs),
    }));
  return { sampledMs: round(sampledMs), idleMs: round(pseudo.idleMs), programMs: round(pseudo.programMs), garbageCollectorMs: round(pseudo.garbageCollectorMs), top: hot };
}

/** Self milliseconds per profile node id: the gap from each sample to the next (the last lasts until the profile ends). */
export function sampleDurations(profile: CpuProfile): Map<number, number> {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const durations = new Map<number, number>();
  let timestamp = profile.startTime;
  const timestamps = samples.map((_, i) => (timestamp += deltas[i] ?? 0));
  samples.forEach((nodeId, i) => {
    const next = timestamps[i + 1] ?? Math.max(profile.endTime, timestamps[i]!);
    durations.set(nodeId, (durations.get(nodeId) ?? 0) + (next - timestamps[i]!) / 1000);
  });
  return durations;
}

/** The distinct functions on the stack of a node, itself included. */
function stackKeys(nodeId: number, nodeById: Map<number, CpuProfile['nodes'][number]>, parentOf: Map<number, number>): Set<string> {
  const keys = new Set<string>();
  for (let id: number | undefined = nodeId; id !== undefined; id = parentOf.get(id)) {
    const node = nodeById.get(id);
    if (node !== undefined && node.callFrame.functionName !== '(root)') keys.add(siteKey(node.callFrame));
  }
  return keys;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
