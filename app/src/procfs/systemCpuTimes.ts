import { readFileSync } from 'node:fs';

/** Clock ticks all CPUs spent since boot: in total, and busy (neither idle nor waiting for I/O). */
export interface SystemCpuTimes {
  totalTicks: number;
  busyTicks: number;
}

/** Parses the aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal … */
export function parseSystemCpuTimes(text: string): SystemCpuTimes | undefined {
  const line = /^cpu\s+(.*)$/m.exec(text)?.[1];
  if (line === undefined) return undefined;
  const ticks = line.trim().split(/\s+/).slice(0, 8).map(Number);
  const totalTicks = ticks.reduce((sum, value) => sum + value, 0);
  return { totalTicks, busyTicks: totalTicks - (ticks[3] ?? 0) - (ticks[4] ?? 0) };
}

/** The current counters, or undefined where /proc/stat cannot be read. */
export function readSystemCpuTimes(): SystemCpuTimes | undefined {
  try {
    return parseSystemCpuTimes(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}
