import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * How far below the true CPU time one reading may be, in ms: the kernel truncates utime and stime to whole ticks each, so
 * the difference of two readings is off by less than this either way.
 */
export const CPU_MS_READING_ERROR = (2 * 1000) / TICKS_PER_SECOND;

/** Resident set size in MB, from /proc/<pid>/status. */
export function rssMb(pid: number): number {
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kilobytes ?? Number.NaN) / 1024;
}

/** User plus system CPU time the process has used, in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  return statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * CPU time in ms of the process's live threads, summed by thread name (Node names its own: MainThread, V8Worker for
 * V8's GC and compiler tasks, libuv-worker, …), from /proc/<pid>/task/<tid>/stat.
 */
export function cpuMsByThreadName(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    byName.set(name, (byName.get(name) ?? 0) + statCpuMs(stat));
  }
  return byName;
}

/** utime + stime in ms of a /proc stat line. */
function statCpuMs(stat: string): number {
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
