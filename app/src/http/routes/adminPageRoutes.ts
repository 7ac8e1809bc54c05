import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { NotFoundError } from '../../errors.ts';
import { defineRoute } from '../defineRoute.ts';
import { notInSlowRequestLog } from '../requestProfiling.ts';

/** app/public/profiling, next to the sources and, after `npm run build`, next to dist/app/src. */
const pageDir = fileURLToPath(new URL('../../../public/profiling/', import.meta.url));
/** The page's own scripts and styles: a fixed set, so a request names one of them or gets a 404. */
const PAGE_FILES = new Set(readdirSync(pageDir).filter((name) => /^[\w-]+\.(js|css)$/.test(name)));

const require = createRequire(import.meta.url);
/** A file of a package's `dist/` directory, found from the file its package.json points at (also inside dist/). */
const distFile = (packageName: string, file: string): string => join(dirname(require.resolve(packageName)), file);

/** The front-end libraries the page loads, served from node_modules: the page works without internet access. */
const VENDOR_FILES = new Map([
  ['uPlot.iife.min.js', distFile('uplot', 'uPlot.iife.min.js')],
  ['uPlot.min.css', distFile('uplot', 'uPlot.min.css')],
  ['d3.min.js', distFile('d3', 'd3.min.js')],
  ['d3-flamegraph.min.js', distFile('d3-flame-graph', 'd3-flamegraph.umd.min.js')],
  ['d3-flamegraph.css', distFile('d3-flame-graph', 'd3-flamegraph.css')],
]);

/** Scripts only from this origin; d3-flame-graph injects a <style> element, hence inline styles. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

/**
 * `GET /admin/profiling`: the profiling page. The HTML, scripts and styles hold no data and need no token; the page
 * asks for the admin token and sends it as a bearer token on its calls to the admin API.
 */
export function adminPageRoutes(): Router {
  const router = Router();
  router.use('/admin/profiling', notInSlowRequestLog, (_req, res, next) => {
    res.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    next();
  });
  defineRoute(router, '/admin/profiling', { get: (_req, res) => res.sendFile(join(pageDir, 'index.html')) });
  // Routes with templates rather than express.static, so these requests are labelled by route in the metrics.
  defineRoute(router, '/admin/profiling/:file', {
    get: (req, res) => {
      const name = String(req.params.file);
      if (!PAGE_FILES.has(name)) throw new NotFoundError(`No file ${name}`);
      res.sendFile(name, { root: pageDir });
    },
  });
  defineRoute(router, '/admin/profiling/vendor/:file', {
    get: (req, res) => {
      const file = VENDOR_FILES.get(String(req.params.file));
      if (file === undefined) throw new NotFoundError(`No vendor file ${String(req.params.file)}`);
      res.sendFile(file, { maxAge: '1h' });
    },
  });
  return router;
}
