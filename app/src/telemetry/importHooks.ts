import { register as registerImportHooks, supportsSyncHooks } from 'import-in-the-middle/register-hooks.mjs';

/** The packages patched on load. The ESM loader hook intercepts only these, so other imports pay nothing. */
const PATCHED_MODULES = ['ioredis', 'pino'];

let importHooksRegistered = false;

/**
 * Makes `import` of the patched packages go through import-in-the-middle, in-thread (Node ≥ 24.11: no loader
 * thread). Must run before the app imports them; once per process. Its own module, so that a process with
 * telemetry off loads none of the instrumentation packages.
 */
export function registerImportHooksOnce(): void {
  if (importHooksRegistered || !supportsSyncHooks()) return;
  importHooksRegistered = true;
  registerImportHooks({ include: PATCHED_MODULES });
}
