import { trace, TraceFlags } from '@opentelemetry/api';
import type { RequestHandler, Response } from 'express';
import { withDependencyTimes, type DependencyTimes } from '../dependencyTime.ts';
import { PROFILE_EVENT, profilePageUrl } from '../profiling/profileDirectory.ts';
import type { LiveProfiling } from '../profiling/startLiveProfiling.ts';
import type { SlowRequest } from '../profiling/SlowRequestLog.ts';
import { routeTemplateOf } from './routeTemplate.ts';

const excluded = new WeakSet<Response>();

/**
 * Keeps the admin endpoints out of the slow request log and automatic captures: a live profile is slow on purpose,
 * and the admin page's own polling is not what the log is for. They are still measured like any other route.
 */
export const notInSlowRequestLog: RequestHandler = (_req, res, next) => {
  excluded.add(res);
  next();
};

/**
 * Runs every request with its own dependency-time tally (dependencyTime.ts). A request still running after the slow
 * request threshold starts an automatic CPU profile (rate-limited), so the profile shows it in progress; one that
 * ends over the threshold goes to the slow request log and gets a `slow request` log line, with its time in
 * PostgreSQL, Redis and the catalog, its trace id, and the automatic profile that overlapped it. That profile is also
 * named on the request's span (event `profile.captured`), with the admin page's URL that opens it.
 */
export function requestProfiling(profiling: LiveProfiling): RequestHandler {
  const { slowRequestMs, slowRequests, autoProfiler, logger } = profiling;
  return (req, res, next) => {
    const start = performance.now();
    const startedAt = Date.now();
    const span = trace.getActiveSpan();
    const spanContext = span?.spanContext();
    const traceId = spanContext?.traceId;
    const turningSlow = autoProfiler && setTimeout(() => {
      if (!excluded.has(res)) autoProfiler.trigger({ reason: 'slow_request', route: routeTemplateOf(req), ...(traceId && { traceId }) });
    }, slowRequestMs).unref();
    let profile: string | undefined;
    /** The profile that ran during this slow request, if any; looked up once, before the span ends (on 'close'). */
    const profileOfSlowRequest = (): string | undefined => {
      if (profile === undefined && !excluded.has(res) && performance.now() - start > slowRequestMs) {
        profile = autoProfiler?.overlapping(startedAt, Date.now())?.name;
        // A request the client abandoned has no 'finish': its span has ended by now and takes no event.
        if (profile !== undefined && span?.isRecording() === true) span.addEvent(PROFILE_EVENT, { 'profile.name': profile, 'profile.url': profilePageUrl(profile) });
      }
      return profile;
    };
    withDependencyTimes((readTimes) => {
      res.once('finish', profileOfSlowRequest);
      res.once('close', () => {
        clearTimeout(turningSlow);
        const durationMs = performance.now() - start;
        if (durationMs <= slowRequestMs || excluded.has(res)) return;
        const profileName = profileOfSlowRequest();
        const entry: SlowRequest = {
          timestamp: new Date().toISOString(),
          method: req.method,
          route: routeTemplateOf(req),
          statusCode: res.statusCode,
          durationMs: round(durationMs),
          ...(spanContext && { traceId: spanContext.traceId, traceSampled: (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0 }),
          breakdownMs: breakdown(readTimes(), durationMs),
          ...(profileName !== undefined && { profile: profileName }),
        };
        slowRequests.record(entry);
        logger.warn(entry, 'slow request');
      });
      next();
    });
  };
}

function breakdown(times: DependencyTimes, durationMs: number): SlowRequest['breakdownMs'] {
  // Calls of different kinds may run in parallel, so their sum can exceed the request's duration.
  const other = Math.max(0, durationMs - times.postgres - times.redis - times.catalog);
  return { postgres: round(times.postgres), redis: round(times.redis), catalog: round(times.catalog), other: round(other) };
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
