/**
 * The `node --import` entry: starts telemetry before the app imports anything, so pg and ioredis are
 * patched as they load. `npm start` runs its bundle (app/build/bundleTelemetry.ts): `node --import ./dist/telemetry/register.js dist/app/src/main.js`.
 * Node's compile cache is on first, so that what telemetry and the app load later is cached (compileCache.ts).
 */
import '../compileCache.ts';
import { startTelemetry } from './startTelemetry.ts';
import { logTelemetry } from './telemetryLog.ts';

const { metricsUrl } = await startTelemetry();
if (metricsUrl !== undefined) logTelemetry('info', 'telemetry started', { metricsUrl });
