import { request } from 'node:http';

/** What one request got: an answer (status, the error `code` of a JSON error body), or no answer (`error`). */
export interface HttpOutcome {
  method: string;
  /** performance.now() when the request was sent and when its outcome was known. */
  startedAt: number;
  endedAt: number;
  status?: number;
  /** `code` of a JSON error body. */
  code?: string;
  body?: any;
  /** Why there was no answer: the socket error's code (ECONNREFUSED, ECONNRESET, …) or TIMEOUT. */
  error?: string;
}

export interface HttpAnswerOptions {
  token?: string;
  body?: unknown;
  /** Gives up after this long and records TIMEOUT. */
  timeoutMs: number;
  /** A new connection for this request only (no keep-alive): a server that closed its listener refuses it cleanly. */
  freshConnection?: boolean;
}

/** Sends one JSON request and resolves with its outcome; never rejects, so load loops can count every outcome. */
export function httpAnswer(method: string, url: string, options: HttpAnswerOptions): Promise<HttpOutcome> {
  const startedAt = performance.now();
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string | number> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  return new Promise((resolve) => {
    const done = (outcome: Omit<HttpOutcome, 'method' | 'startedAt' | 'endedAt'>) =>
      resolve({ method, startedAt, endedAt: performance.now(), ...outcome });
    const req = request(url, { method, headers, ...(options.freshConnection === true ? { agent: false } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
      // Cut before its end (the server closed, or the timeout below fired): no answer. Ignored after 'end'.
      res.on('close', () => done({ error: 'ABORTED' }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = res.headers['content-type']?.includes('json') === true && text !== '' ? JSON.parse(text) : text;
        done({ status: res.statusCode!, body, ...(typeof body?.code === 'string' ? { code: body.code } : {}) });
      });
    });
    req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
    req.end(payload);
  });
}
