import { resolve } from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { AutoProfiler } from './AutoProfiler.ts';
import { MetricsHistory } from './MetricsHistory.ts';
import { SlowRequestLog } from './SlowRequestLog.ts';
import { watchEventLoopStalls } from './watchEventLoopStalls.ts';

/** What the request profiling middleware and the admin endpoints share. */
export interface LiveProfiling {
  slowRequestMs: number;
  slowRequests: SlowRequestLog;
  /** Undefined when PROFILE_AUTO_CAPTURE is off. */
  autoProfiler: AutoProfiler | undefined;
  history: MetricsHistory;
  /** PROFILE_DIR, absolute. */
  profileDir: string;
  logger: Logger;
  /** GRAFANA_URL: the admin page links each slow request's trace to Explore there. */
  grafanaUrl: string;
  /** Aborted when shutdown() starts: live profiles in progress stop at once instead of holding up the exit. */
  shutdownSignal: AbortSignal;
  /**
   * Cancels every capture in progress (live ones through `shutdownSignal`, the automatic one unsaved), stops the
   * stall watcher and the history sampler, and resolves once the profilers are free. Safe to call twice.
   */
  shutdown(): Promise<void>;
}

/** Starts the slow request log, automatic CPU profiles on slow requests and event loop stalls, and the one-hour history. */
export function startLiveProfiling(config: Config, logger: Logger): LiveProfiling {
  const profileDir = resolve(config.PROFILE_DIR);
  const autoProfiler = config.PROFILE_AUTO_CAPTURE
    ? new AutoProfiler({ dir: profileDir, captureMs: config.PROFILE_CAPTURE_MS, minIntervalMs: config.PROFILE_CAPTURE_MIN_INTERVAL_MS, logger })
    : undefined;
  const stopWatching = autoProfiler
    ? watchEventLoopStalls(config.EVENT_LOOP_STALL_MS, (stallMs) => autoProfiler.trigger({ reason: 'event_loop_stall', stallMs: Math.round(stallMs) }))
    : () => {};
  const history = new MetricsHistory({ intervalMs: config.METRICS_HISTORY_INTERVAL_MS }).start();
  const shuttingDown = new AbortController();
  let stopping: Promise<void> | undefined;
  return {
    slowRequestMs: config.SLOW_REQUEST_MS,
    slowRequests: new SlowRequestLog(config.SLOW_REQUEST_LOG_SIZE),
    autoProfiler,
    history,
    profileDir,
    logger,
    grafanaUrl: config.GRAFANA_URL,
    shutdownSignal: shuttingDown.signal,
    shutdown: () =>
      (stopping ??= (async () => {
        shuttingDown.abort();
        stopWatching();
        await Promise.all([history.shutdown(), autoProfiler?.shutdown()]);
      })()),
  };
}
