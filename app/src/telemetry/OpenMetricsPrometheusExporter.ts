import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import type { ExporterConfig } from '@opentelemetry/exporter-prometheus';
import type { ExemplarStore } from './exemplars.ts';
import { OPENMETRICS_CONTENT_TYPE, toOpenMetrics } from './openMetrics.ts';
import { UnitSuffixPrometheusExporter } from './UnitSuffixPrometheusExporter.ts';

const ENDPOINT = '/metrics';

export interface OpenMetricsExporterConfig extends Pick<ExporterConfig, 'withResourceConstantLabels' | 'withoutScopeInfo' | 'withoutTargetInfo' | 'metricProducers'> {
  /** Port of `/metrics`. @default 9464 */
  port?: number;
  /** Interface it listens on. @default localhost, as exporter-prometheus */
  host?: string;
  /** Where exemplars come from; without one, OpenMetrics answers carry none. */
  exemplars?: ExemplarStore;
}

/**
 * `/metrics` in OpenMetrics 1.0.0 with exemplars when the scraper's `Accept` prefers it (Prometheus 2 and 3 do),
 * otherwise exactly exporter-prometheus 0.301's text format. The exporter serves text only
 * (open-telemetry/opentelemetry-js#5147): it runs here without its own server (`preventServerStart`, the option
 * for serving it from another server), and its public `getMetricsRequestHandler()` answers the text requests.
 */
export class OpenMetricsPrometheusExporter extends UnitSuffixPrometheusExporter {
  readonly #server: Server;
  readonly #config: OpenMetricsExporterConfig;
  #listening: Promise<void> | undefined;

  constructor(config: OpenMetricsExporterConfig = {}) {
    const { exemplars: _exemplars, port: _port, host: _host, ...serializerOptions } = config;
    super({ ...serializerOptions, preventServerStart: true });
    this.#config = config;
    this.#server = createServer((request, response) => this.#handle(request, response)).unref();
    this.startServer().catch((error: unknown) => diag.error('OpenMetrics exporter did not start', error));
  }

  override startServer(): Promise<void> {
    this.#listening ??= new Promise((resolve, reject) => {
      this.#server.once('error', reject).listen({ port: this.#config.port ?? 9464, host: this.#config.host ?? 'localhost' }, resolve);
    });
    return this.#listening;
  }

  override stopServer(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = URL.parse(request.url ?? '/', 'http://localhost');
    if (url === null) {
      response.writeHead(400).end('Bad Request');
    } else if (url.pathname !== ENDPOINT) {
      response.writeHead(404).end();
    } else if (prefersOpenMetrics(request.headers.accept)) {
      this.collect().then(
        ({ resourceMetrics, errors }) => {
          if (errors.length > 0) diag.error('OpenMetrics exporter: metrics collection errors', ...errors);
          response.writeHead(200, { 'content-type': OPENMETRICS_CONTENT_TYPE }).end(toOpenMetrics(resourceMetrics, this.#config.exemplars, this.#config));
        },
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`failed to export metrics: ${String(error)}`),
      );
    } else {
      this.getMetricsRequestHandler(request, response);
    }
  }
}

/**
 * Whether `Accept` ranks `application/openmetrics-text` at least as high as plain text (`text/plain`, `text/*`,
 * `*∕*`). Parameters other than `q` are ignored: Prometheus 3 adds `escaping=…` to every type, which a strict
 * matcher such as `negotiator` would take as "not offered". A browser (`*∕*` only) gets text, as before.
 */
export function prefersOpenMetrics(accept: string | undefined): boolean {
  let openMetrics = 0;
  let text = 0;
  for (const range of (accept ?? '').split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const qParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2)) || 0;
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, q);
    else if (type === 'text/plain' || type === 'text/*' || type === '*/*') text = Math.max(text, q);
  }
  return openMetrics > 0 && openMetrics >= text;
}
