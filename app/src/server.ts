import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { answerMalformedRequests } from './http/answerMalformedRequests.ts';

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting, lets in-flight requests finish (cutting them after `timeoutMs`), resolves when closed. */
  close(timeoutMs: number): Promise<void>;
}

export function listen(app: Express, port: number, host: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) {
        reject(error);
        return;
      }
      const { port: actualPort } = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      resolve({ server, port: actualPort, url: `http://${shownHost}:${actualPort}`, close: (timeoutMs) => close(server, timeoutMs) });
    });
    // Behind a proxy or load balancer: keep idle connections longer than it does.
    server.keepAliveTimeout = 65_000;
    answerMalformedRequests(server);
  });
}

function close(server: Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs).unref();
    // server.close() drops idle keep-alive connections once; connections that go idle later (their in-flight
    // request just finished) are dropped by this sweep, so clients holding them cannot delay the shutdown.
    const sweep = setInterval(() => server.closeIdleConnections(), 50).unref();
    server.close(() => {
      clearTimeout(force);
      clearInterval(sweep);
      resolve();
    });
  });
}
