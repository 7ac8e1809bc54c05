import { execFileSync } from 'node:child_process';

export const LOAD_MODES = ['none', 'individual', 'auto'] as const;

/** Median start time and RSS of each loadProbe.ts mode over `samples` fresh processes, modes interleaved. */
export function measureLoadCost(samples: number): Record<(typeof LOAD_MODES)[number], { readyMs: number; rssMb: number }> {
  const results = Object.fromEntries(LOAD_MODES.map((mode) => [mode, [] as { readyMs: number; rssMb: number }[]]));
  for (let sample = 0; sample < samples; sample++) {
    for (const mode of LOAD_MODES) {
      const output = execFileSync(process.execPath, ['bench/overhead/loadProbe.ts', mode], { encoding: 'utf8' });
      results[mode]!.push(JSON.parse(output));
    }
  }
  return Object.fromEntries(
    LOAD_MODES.map((mode) => [mode, { readyMs: median(results[mode]!.map((r) => r.readyMs)), rssMb: median(results[mode]!.map((r) => r.rssMb)) }]),
  ) as ReturnType<typeof measureLoadCost>;
}

export function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
