/**
 * One sample of bench:overhead's load-cost comparison, run in a fresh process: loads and constructs the
 * instrumentations of one mode, then prints `{"readyMs", "rssMb"}` (time since the process started, and its RSS).
 *   individual  the packages this app uses (app/src/telemetry/instrumentations.ts)
 *   auto        @opentelemetry/auto-instrumentations-node, all disabled but http, express, pg, ioredis, undici, pino,
 *               runtime-node (OTEL_NODE_ENABLED_INSTRUMENTATIONS)
 *   none        nothing: the cost of the process itself
 */
const mode = process.argv[2];
if (mode === 'individual') {
  const { appInstrumentations } = await import('../../app/src/telemetry/instrumentations.ts');
  appInstrumentations();
} else if (mode === 'auto') {
  process.env.OTEL_NODE_ENABLED_INSTRUMENTATIONS = 'http,express,pg,ioredis,undici,pino,runtime-node';
  const { getNodeAutoInstrumentations } = await import('@opentelemetry/auto-instrumentations-node');
  getNodeAutoInstrumentations();
} else if (mode !== 'none') {
  throw new Error(`unknown mode ${mode}`);
}
console.log(JSON.stringify({ readyMs: performance.now(), rssMb: process.memoryUsage().rss / 2 ** 20 }));
