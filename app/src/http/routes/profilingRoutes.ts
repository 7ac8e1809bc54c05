import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { NotFoundError, ServiceUnavailableError } from '../../errors.ts';
import { captureCpuProfile, captureHeapProfile, isAbortError, type CaptureOptions, type CpuProfile, type HeapProfile } from '../../profiling/inspectorProfiler.ts';
import { cpuProfileToPprof, encodePprof, heapProfileToPprof } from '../../profiling/pprofProfile.ts';
import { fileStamp, listProfiles, PROFILE_NAME, saveProfile } from '../../profiling/profileDirectory.ts';
import type { LiveProfiling } from '../../profiling/startLiveProfiling.ts';
import { requireAdmin } from '../auth.ts';
import { defineRoute } from '../defineRoute.ts';
import { notInSlowRequestLog } from '../requestProfiling.ts';
import { validate } from '../validate.ts';

const durationQuery = z.object({ seconds: z.coerce.number().int().min(1).max(60) });
const nameParams = z.object({ name: z.string().regex(PROFILE_NAME, 'must be the name of a listed profile') });
/** `pprof`: the gzip-compressed protobuf of `go tool pprof`, Pyroscope and speedscope; without it, the V8 JSON. */
const formatQuery = z.object({ format: z.enum(['pprof']).optional() });

/** Live profiles kept on disk besides being downloaded. */
const KEEP_LIVE_PROFILES = 20;

/**
 * Admin only: live CPU and heap profiles of this process (one of each kind at a time, 409 otherwise), returned as a
 * download and kept in the profile directory; the captured profiles (live and automatic), also as pprof; the page's
 * history and settings. A live profile stops at once when its client goes away (nothing is answered then) or the
 * service shuts down (503), so neither holds the profiler nor the exit.
 */
export function profilingRoutes(profiling: LiveProfiling, auth: RequestHandler): Router {
  const router = Router();
  const admin = [notInSlowRequestLog, auth, requireAdmin];
  const live = (kind: 'cpu' | 'heap', capture: (durationMs: number, options: CaptureOptions) => Promise<object>): RequestHandler[] => [
    ...admin,
    async (req, res) => {
      const { seconds } = validate(durationQuery, req.query, 'query');
      const clientGone = new AbortController();
      res.once('close', () => clientGone.abort());
      let profile: object;
      try {
        profile = await capture(seconds * 1000, { signal: AbortSignal.any([clientGone.signal, profiling.shutdownSignal]) });
      } catch (error) {
        if (!isAbortError(error)) throw error;
        if (clientGone.signal.aborted) return;
        throw new ServiceUnavailableError('SHUTTING_DOWN', 'The service is shutting down; the live profile was cancelled');
      }
      const name = `live-${fileStamp(Date.now())}.${kind}profile`;
      // The download is what was asked for: a profile directory that cannot be written costs only the copy.
      await saveProfile(profiling.profileDir, name, profile, KEEP_LIVE_PROFILES).catch((error: unknown) =>
        profiling.logger.warn({ err: error, profile: name }, 'live profile not kept in the profile directory'),
      );
      asDownload(res, name);
      res.send(JSON.stringify(profile));
    },
  ];
  defineRoute(router, '/api/profiling/cpu', { post: live('cpu', captureCpuProfile) });
  defineRoute(router, '/api/profiling/heap', { post: live('heap', captureHeapProfile) });
  defineRoute(router, '/api/profiling/profiles', {
    get: [...admin, async (_req, res) => void res.json({ items: await listProfiles(profiling.profileDir) })],
  });
  defineRoute(router, '/api/profiling/profiles/:name', {
    get: [...admin, async (req, res) => {
      const { name } = validate(nameParams, req.params, 'params');
      const { format } = validate(formatQuery, req.query, 'query');
      const file = join(profiling.profileDir, name);
      const found = await stat(file).catch(() => undefined);
      if (found?.isFile() !== true) throw new NotFoundError(`No profile named ${name}`);
      if (format === 'pprof') {
        const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
        const pprof = name.endsWith('.cpuprofile') ? cpuProfileToPprof(parsed as CpuProfile) : heapProfileToPprof(parsed as HeapProfile);
        res.attachment(`${name}.pb.gz`);
        res.type('application/octet-stream');
        res.send(await encodePprof(pprof));
        return;
      }
      asDownload(res, name);
      res.sendFile(name, { root: profiling.profileDir, dotfiles: 'deny' });
    }],
  });
  defineRoute(router, '/api/profiling/config', {
    get: [...admin, (_req, res) => void res.json({ grafanaUrl: profiling.grafanaUrl, slowRequestMs: profiling.slowRequestMs })],
  });
  defineRoute(router, '/api/profiling/history', {
    get: [...admin, (_req, res) => void res.json({ intervalMs: profiling.history.intervalMs, items: profiling.history.samples() })],
  });
  return router;
}

/** A `.cpuprofile` or `.heapprofile` file, which is JSON, to be saved rather than shown. */
function asDownload(res: Response, name: string): void {
  res.attachment(name);
  res.type('application/json');
}
