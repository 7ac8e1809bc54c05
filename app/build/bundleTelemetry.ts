/**
 * Bundles the compiled telemetry entry (dist/app/src/telemetry/register.js) and the OpenTelemetry packages it loads
 * into dist/telemetry/, the `--import` entry that `npm start` and the image run. Loading about 570 files one by one
 * (the SDK's ESM and CommonJS copies of @opentelemetry/api, three nested @opentelemetry/core) was most of what
 * telemetry added to start-up; the bundle is a handful of chunks.
 *
 * What the app itself loads stays outside the bundle, so that no module with state exists twice: every package the
 * app imports (pg, ioredis, pino, @opentelemetry/api …) and every app file the telemetry shares with it
 * (metricsSnapshot.js, routeChannel.js, processExit.js …) are found by esbuild's own analysis of dist/app/src/main.js
 * and imported from where they are. The gRPC exporters stay outside because @grpc/grpc-js reads files next to itself.
 *
 * Run by `npm run build` after tsc: `node app/build/bundleTelemetry.ts`.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { relative, resolve } from 'node:path';

const APP_MAIN = 'dist/app/src/main.js';
const TELEMETRY_ENTRY = 'dist/app/src/telemetry/register.js';
const OUT_DIR = 'dist/telemetry';
const ALWAYS_EXTERNAL = [
  '@opentelemetry/exporter-trace-otlp-grpc',
  '@opentelemetry/exporter-logs-otlp-grpc',
];
// esbuild's ESM output has no `require` of its own for the CommonJS packages it wraps (they require Node built-ins).
const REQUIRE_BANNER = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** The app files and the packages dist/app/src/main.js loads, from esbuild's analysis of it (nothing is written). */
async function whatTheAppLoads(): Promise<{ files: Set<string>; packages: Set<string> }> {
  const { metafile } = await build({
    entryPoints: [APP_MAIN], bundle: true, write: false, metafile: true, packages: 'external', platform: 'node', format: 'esm', logLevel: 'error',
  });
  const files = new Set(Object.keys(metafile.inputs).map((path) => resolve(path)));
  return { files, packages: new Set(externalPackages(metafile)) };
}

function* externalPackages(metafile: Metafile): Iterable<string> {
  for (const { imports } of Object.values(metafile.inputs)) {
    for (const { path, external } of imports) {
      if (!external || path.startsWith('node:') || path.startsWith('.')) continue;
      const parts = path.split('/');
      yield path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    }
  }
}

/** Leaves the app's own files out of the bundle, imported by their path relative to the output directory. */
function importAppFilesFromDist(appFiles: Set<string>): Plugin {
  const outDir = resolve(OUT_DIR);
  return {
    name: 'app-files-external',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^\./ }, ({ path, resolveDir }) => {
        const file = resolve(resolveDir, path);
        if (!appFiles.has(file)) return undefined;
        return { path: relative(outDir, file), external: true };
      });
    },
  };
}

/** The namespace of the modules that re-export one build (`export * from`), for requireSharedOpenTelemetryAsEsm(). */
const BUILD_NAMESPACE = 'esm-build';
/** How the copying module names the build it requires: esbuild gives a plugin the required string, not a namespace. */
const BUILD_PREFIX = `${BUILD_NAMESPACE}:`;

/**
 * The OpenTelemetry packages ship separate ESM and CommonJS builds: the bundled CommonJS packages (the contrib
 * instrumentations, host-metrics) would `require()` the CommonJS copy beside the ESM one that the app and the
 * bundle's ESM code import (two copies of @opentelemetry/api, the semantic conventions, core, the SDKs, loaded and
 * compiled). Their require() gets the ESM copy instead.
 *
 * What require() returns is that build's exports copied once into an object of plain properties. esbuild's own
 * require() of an ESM module returns an object of getters, one closure call per property read, two for an external
 * package (its namespace re-exported, then converted): instrumentation-pino read `api.trace`, `api.context`, the
 * semantic conventions and core that way on every log line. The copy is taken after the build has run, and these
 * builds export constants, functions and classes only, so it holds what the getters would return.
 */
function requireSharedOpenTelemetryAsEsm(): Plugin {
  return {
    name: 'require-shared-opentelemetry-as-esm',
    setup(pluginBuild) {
      // Resolved from the requiring file's directory, as require() would (a nested copy of another version stays its
      // own), to the ESM build; one module per build, however many files require it.
      pluginBuild.onResolve({ filter: /^@opentelemetry\// }, async ({ path, kind, resolveDir }) => {
        if (kind !== 'require-call') return undefined;
        const esm = await pluginBuild.resolve(path, { kind: 'import-statement', resolveDir });
        const target = esm.external === true ? path : esm.path;
        return { path: target, namespace: 'esm-copy' };
      });
      pluginBuild.onLoad({ filter: /.*/, namespace: 'esm-copy' }, ({ path }) => ({
        contents: `module.exports = Object.defineProperty({ ...require(${JSON.stringify(BUILD_PREFIX + path)}) }, '__esModule', { value: true });`,
        resolveDir: process.cwd(),
      }));
      pluginBuild.onResolve({ filter: new RegExp(`^${BUILD_PREFIX}`) }, ({ path }) => ({ path: path.slice(BUILD_PREFIX.length), namespace: BUILD_NAMESPACE }));
      pluginBuild.onLoad({ filter: /.*/, namespace: BUILD_NAMESPACE }, ({ path }) => ({ contents: `export * from ${JSON.stringify(path)};`, resolveDir: process.cwd() }));
    },
  };
}

const app = await whatTheAppLoads();
const { metafile } = await build({
  entryPoints: { register: TELEMETRY_ENTRY },
  outdir: OUT_DIR,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  banner: { js: REQUIRE_BANNER },
  external: [...ALWAYS_EXTERNAL, ...app.packages],
  plugins: [importAppFilesFromDist(app.files), requireSharedOpenTelemetryAsEsm()],
});
const inputs = Object.keys(metafile.inputs).length;
const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.js'));
const kilobytes = Math.round(outputs.reduce((sum, [, { bytes }]) => sum + bytes, 0) / 1024);
console.log(`[bundleTelemetry] ${OUT_DIR}: ${inputs} modules in ${outputs.length} files (${kilobytes} KB); left to node_modules: ${[...ALWAYS_EXTERNAL, ...app.packages].sort().join(', ')}`);
