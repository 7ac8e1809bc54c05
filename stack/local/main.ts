import { startLocalStack } from './startLocalStack.ts';

/**
 * `npm run stack:local`: the stack without Docker, against DATABASE_URL and REDIS_URL (default: this machine's
 * PostgreSQL and Redis). Prints the URLs; Ctrl-C stops everything. LOAD_RATE sets requests per second (0: no load).
 */
const rate = Number(process.env.LOAD_RATE ?? 10);
console.log('starting the local stack…');
const stack = await startLocalStack({
  log: (line) => console.log(`  ${line}`),
  alertLog: (line) => console.log(`webhook: ${line}`),
  load: rate > 0 ? { rate } : false,
});
console.log(`
  app            ${stack.appUrl}            (admin token: ${stack.adminToken})
  app metrics    ${stack.metricsUrl}
  catalog        ${stack.catalogUrl}            make it slow: curl -X PUT -d '{"latencyMs":800}' ${stack.catalogUrl}/control
  prometheus     ${stack.prometheusUrl}            alerts: ${stack.prometheusPages.alerts}  targets: ${stack.prometheusPages.targets}
  alertmanager   ${stack.alertmanagerUrl}
  webhook        ${stack.webhookUrl}/alerts
  logs           ${stack.workDir}/*.log

Ctrl-C stops everything.`);
const report = setInterval(() => {
  if (stack.load) console.log(`load: ${JSON.stringify(stack.load.stats().byRequest)}`);
}, 30_000);
const shutdown = (): void => {
  clearInterval(report);
  console.log('\nstopping…');
  void stack.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
