import { startWebhookReceiver } from './startWebhookReceiver.ts';

/** `node dist/stack/webhook/main.js`: the alert webhook receiver of docker-compose.yml, on WEBHOOK_PORT (8080). */
const port = Number(process.env.WEBHOOK_PORT ?? 8080);
const receiver = await startWebhookReceiver({ port, host: '0.0.0.0' });
console.log(JSON.stringify({ msg: 'listening', service: 'webhook', url: receiver.url }));
const stop = (): void => void receiver.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
