import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedExport {
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

export interface OtlpReceiver {
  /** What to set OTEL_EXPORTER_OTLP_ENDPOINT to. */
  endpoint: string;
  /** Every export request received, in order. */
  received: ReceivedExport[];
  stop(): Promise<void>;
}

/**
 * A stand-in OpenTelemetry Collector: an HTTP server on a free port of 127.0.0.1 that answers every OTLP export
 * with 200 and keeps what it got (`record: false` keeps nothing, for benchmarks).
 */
export async function startOtlpReceiver({ record = true }: { record?: boolean } = {}): Promise<OtlpReceiver> {
  const received: ReceivedExport[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => record && chunks.push(chunk));
    request.on('end', () => {
      if (record) received.push({ path: request.url ?? '', contentType: request.headers['content-type'], body: Buffer.concat(chunks) });
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
