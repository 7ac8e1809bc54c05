/**
 * Variant (c) of bench:overhead, the usual alternative to OpenTelemetry: `node --import` this instead of the telemetry
 * entry, and every Express app of the process is served behind an express-prom-bundle middleware (prom-client
 * histogram by method, path and status, default process metrics, `/metrics` on the app's own port). Bench-only.
 */
import express from 'express';
import promBundle from 'express-prom-bundle';

const metrics = promBundle({
  includeMethod: true,
  includePath: true,
  includeStatusCode: true,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  promClient: { collectDefaultMetrics: {} },
});

// express() copies the application prototype into each app, so patching it before the app is created is enough.
const listen = express.application.listen;
express.application.listen = function listenBehindMetrics(this: express.Express, ...args: unknown[]) {
  const outer = express();
  outer.use(metrics);
  outer.use(this);
  return Reflect.apply(listen, outer, args) as ReturnType<typeof listen>;
} as typeof listen;
