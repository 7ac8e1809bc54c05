import { request, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export interface RawRequest {
  method: string;
  /** Sent byte for byte, without the normalisation fetch and URL apply (`%ZZ`, `..`, `%00` stay as they are). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer | undefined;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, decompressed when the server compressed it. */
  text: string;
}

const DECODERS: Record<string, (body: Buffer) => Buffer> = { gzip: gunzipSync, deflate: inflateSync, br: brotliDecompressSync };

/**
 * One HTTP request with node:http instead of fetch, which refuses a body on GET and rewrites odd paths: property tests
 * send exactly the junk they generated.
 */
export function rawRequest(baseUrl: string, raw: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      // An explicit Content-Length: for GET and the like, node:http would otherwise send the body unframed.
      { host: url.hostname, port: url.port, method: raw.method, path: raw.path, timeout: timeoutMs, agent: false,
        headers: raw.body === undefined ? raw.headers : { ...raw.headers, 'content-length': String(raw.body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const decode = DECODERS[String(res.headers['content-encoding'])];
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: (decode && body.length > 0 ? decode(body) : body).toString('utf8') });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(raw.body);
  });
}
