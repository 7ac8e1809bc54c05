import { codeSite, siteKey, type CallFrameLike, type CodeSite } from './callFrameSite.ts';
import type { HeapProfile } from './inspectorProfiler.ts';

/** One allocating function of a sampling heap profile, all its call paths merged. */
export interface AllocationSite extends CodeSite {
  /** Bytes allocated here and still live when the profile stopped (V8's estimate from its samples). */
  bytes: number;
  /** Share of all sampled bytes (0–100). */
  percent: number;
}

export interface HeapProfileSummary {
  /** Every sampled byte, all sites. */
  sampledBytes: number;
  top: AllocationSite[];
}

interface HeapNode {
  callFrame: CallFrameLike;
  selfSize: number;
  children: HeapNode[];
}

/**
 * The functions that allocated the most of a sampling heap profile (the memory still live when it stopped), by
 * self size; V8's `(root)` and its pseudo-frames without a function are left out of the list but counted in the total.
 *
 * @example
 *   summarizeHeapProfile(profile, 3).top; // [{ functionName: 'loadRows', location: 'app/src/tasks/…:40', bytes: 2_200_000, percent: 81 }, …]
 */
export function summarizeHeapProfile(profile: HeapProfile, top = 10): HeapProfileSummary {
  const bytes = new Map<string, { frame: CallFrameLike; bytes: number }>();
  let sampledBytes = 0;
  const walk = (node: HeapNode): void => {
    sampledBytes += node.selfSize;
    if (node.selfSize > 0 && node.callFrame.functionName !== '(root)') {
      const key = siteKey(node.callFrame);
      const entry = bytes.get(key) ?? { frame: node.callFrame, bytes: 0 };
      entry.bytes += node.selfSize;
      bytes.set(key, entry);
    }
    node.children.forEach(walk);
  };
  walk(profile.head);
  const sites = [...bytes.values()]
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top)
    .map(({ frame, bytes: siteBytes }) => ({ ...codeSite(frame), bytes: siteBytes, percent: sampledBytes === 0 ? 0 : Math.round((10_000 * siteBytes) / sampledBytes) / 100 }));
  return { sampledBytes, top: sites };
}
