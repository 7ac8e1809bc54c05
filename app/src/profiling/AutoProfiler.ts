import type { Logger } from '../logger.ts';
import { captureCpuProfile, isAbortError, isProfiling } from './inspectorProfiler.ts';
import { fileStamp, saveProfile } from './profileDirectory.ts';

export type CaptureReason = 'slow_request' | 'event_loop_stall';

/** What set off a capture: written to its log line. */
export interface CaptureCause {
  reason: CaptureReason;
  traceId?: string;
  route?: string;
  stallMs?: number;
}

/** One automatic CPU profile: recorded from `startedAt` to `endsAt` (epoch ms), then saved as `name` in the profile directory. */
export interface Capture {
  name: string;
  startedAt: number;
  endsAt: number;
}

export interface AutoProfilerOptions {
  /** Where profiles are saved (PROFILE_DIR). */
  dir: string;
  /** Length of one capture (PROFILE_CAPTURE_MS). */
  captureMs: number;
  /** Least time between the starts of two captures (PROFILE_CAPTURE_MIN_INTERVAL_MS). */
  minIntervalMs: number;
  logger: Logger;
  /** Automatic captures kept on disk; older ones are deleted. @default 50 */
  keepFiles?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Takes one short CPU profile of the whole process when something turns slow, so there is a profile of the bad
 * moment without anyone having been there to start one. At most one per `minIntervalMs`, and none while another CPU
 * profile (live or automatic) is running. Each saved capture gets one log line with the file and the trace id.
 */
export class AutoProfiler {
  readonly #options: Required<AutoProfilerOptions>;
  #last: Capture | undefined;
  #recording: Promise<void> | undefined;
  readonly #stopped = new AbortController();

  constructor(options: AutoProfilerOptions) {
    this.#options = { keepFiles: 50, now: Date.now, ...options };
  }

  /** Starts a capture unless one ran too recently or the CPU profiler is busy; returns it, or undefined when skipped. */
  trigger(cause: CaptureCause): Capture | undefined {
    const { captureMs, minIntervalMs, now } = this.#options;
    const startedAt = now();
    if (this.#stopped.signal.aborted) return undefined;
    if (this.#last !== undefined && startedAt - this.#last.startedAt < minIntervalMs) return undefined;
    if (isProfiling('cpu')) return undefined;
    const capture = { name: `auto-${fileStamp(startedAt)}-${cause.reason.replaceAll('_', '-')}.cpuprofile`, startedAt, endsAt: startedAt + captureMs };
    this.#last = capture;
    this.#recording = this.#record(capture, cause);
    return capture;
  }

  /** The latest capture whose recording overlapped the time from `from` to `to` (epoch ms), if any. */
  overlapping(from: number, to: number): Capture | undefined {
    const last = this.#last;
    return last !== undefined && last.startedAt <= to && last.endsAt >= from ? last : undefined;
  }

  /** Waits for a capture in progress to be saved. */
  async settled(): Promise<void> {
    await this.#recording;
  }

  /** Cancels a capture in progress (it is not saved) and takes no more; resolves once the profiler is free. Safe to call twice. */
  async shutdown(): Promise<void> {
    this.#stopped.abort();
    await this.#recording;
  }

  async #record(capture: Capture, cause: CaptureCause): Promise<void> {
    const { dir, captureMs, keepFiles, logger } = this.#options;
    try {
      const profile = await captureCpuProfile(captureMs, { signal: this.#stopped.signal });
      const file = await saveProfile(dir, capture.name, profile, keepFiles);
      logger.info({ ...cause, file, profile: capture.name }, 'cpu profile captured automatically');
    } catch (error) {
      if (isAbortError(error)) {
        // Never saved: no request may name it.
        if (this.#last === capture) this.#last = undefined;
        logger.info({ ...cause, profile: capture.name }, 'automatic cpu profile cancelled by shutdown');
      } else logger.warn({ err: error, ...cause, profile: capture.name }, 'automatic cpu profile failed');
    }
  }
}
