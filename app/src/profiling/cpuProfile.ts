import { isProfiling, recordCpuProfile, type CpuProfileOptions } from './inspectorProfiler.ts';
import { defaultProfileDir, writeProfileFile } from './profileFile.ts';
import { summarizeCpuProfile, type CpuProfileSummary } from './summarizeCpuProfile.ts';

export interface CpuProfileBlockOptions extends CpuProfileOptions {
  /** Directory of the `.cpuprofile` file. @default PROFILE_DIR or `profiles` */
  dir?: string;
  /** How many functions the summary lists. @default 10 */
  top?: number;
}

export interface CpuProfileReport {
  /** The `.cpuprofile` written: open it in Chrome DevTools (Performance → Load profile) or https://speedscope.app. */
  file: string;
  summary: CpuProfileSummary;
}

/**
 * Records a CPU profile while `fn` runs, writes it to `<dir>/<name>-<timestamp>.cpuprofile` and returns `fn`'s
 * result with the file and the hottest functions by self time. One CPU profile at a time per process: throws
 * ProfilerBusyError (409) while another is recorded.
 *
 * @example
 *   const { result, file, summary } = await cpuProfile('rank', () => rankItems(items, weights));
 *   console.table(summary.top);
 */
export async function cpuProfile<T>(name: string, fn: () => Promise<T> | T, options: CpuProfileBlockOptions = {}): Promise<CpuProfileReport & { result: T }> {
  const { result, profile } = await recordCpuProfile(fn, options);
  const file = await writeProfileFile(options.dir ?? defaultProfileDir(), name, 'cpuprofile', profile);
  return { result, file, summary: summarizeCpuProfile(profile, options.top) };
}

/**
 * `fn` wrapped so that each call is CPU-profiled under `name`; the profile goes to `onProfile`. The wrapped
 * function returns a promise of `fn`'s result. A call made while another CPU profile is being recorded runs
 * unprofiled instead of failing.
 *
 * @example
 *   const buildReport = cpuProfiledFunction('report', build, { onProfile: ({ file }) => log.info({ file }, 'profiled') });
 */
export function cpuProfiledFunction<A extends unknown[], R>(
  name: string,
  fn: (...args: A) => R,
  options: CpuProfileBlockOptions & { onProfile?: (report: CpuProfileReport) => void } = {},
): (...args: A) => Promise<Awaited<R>> {
  return async (...args): Promise<Awaited<R>> => {
    const call = async (): Promise<Awaited<R>> => await fn(...args);
    if (isProfiling('cpu')) return call();
    const { result, ...report } = await cpuProfile(name, call, options);
    options.onProfile?.(report);
    return result;
  };
}
