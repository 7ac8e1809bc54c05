export interface ApiResponse<Body = any> {
  status: number;
  headers: Headers;
  body: Body;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, instead of JSON-encoding `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A thin fetch wrapper for driving the real HTTP API in tests. */
export class ApiClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request<Body = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<Body>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    } else if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body: body ?? null });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json') === true;
    return { status: response.status, headers: response.headers, body: isJson && text ? JSON.parse(text) : text };
  }

  get<Body = any>(path: string, options?: RequestOptions) {
    return this.request<Body>('GET', path, options);
  }

  post<Body = any>(path: string, body: unknown, options?: RequestOptions) {
    return this.request<Body>('POST', path, { ...options, body });
  }

  patch<Body = any>(path: string, body: unknown, options?: RequestOptions) {
    return this.request<Body>('PATCH', path, { ...options, body });
  }

  delete<Body = any>(path: string, options?: RequestOptions) {
    return this.request<Body>('DELETE', path, options);
  }

  /** Registers a user and returns its token. */
  async newUser(name = 'Ada'): Promise<{ id: number; token: string }> {
    const email = `${name.toLowerCase()}.${Math.random().toString(36).slice(2)}@example.com`;
    const { status, body } = await this.post('/api/users', { name, email });
    if (status !== 201) throw new Error(`creating a user failed: ${status} ${JSON.stringify(body)}`);
    return { id: body.id, token: body.token };
  }
}
