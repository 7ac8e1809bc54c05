import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Node's own answers to what its HTTP parser refuses (lib/_http_server.js socketOnError), with their codes. */
const PARSER_ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request line and headers are too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'PAYLOAD_TOO_LARGE', 'The chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request was not received in time'],
};
const MALFORMED: [number, string, string] = [400, 'MALFORMED_HTTP', 'The request is not well-formed HTTP/1.1'];

/**
 * What Node's HTTP parser refuses (a request line or headers over the size limit, bytes that are no HTTP) never
 * reaches Express; Node answers it with a bare status line. This answers the same statuses with the service's JSON
 * error body, so every error a client sees has one shape. As in Node's default handler, a socket that is no longer
 * writable, or whose current response has already started, is only destroyed.
 */
export function answerMalformedRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's own check: `socket._httpMessage` is the response in flight on this connection, if any.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const [statusCode, code, message] = PARSER_ANSWERS[error.code ?? ''] ?? MALFORMED;
    const reason = STATUS_CODES[statusCode] ?? 'Error';
    const body = JSON.stringify({ statusCode, error: reason, message, code });
    socket.end(
      `HTTP/1.1 ${statusCode} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
