import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Histogram, type Tracer } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import type { Meter } from '@opentelemetry/api';
import { routeTemplateOf } from '../http/routeTemplate.ts';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE']);

/** What Express leaves on the request: the matched route, whose path is the template (`/api/tasks/:id`). */
type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };

/**
 * The HTTP server span and `http.server.request.duration` of every request to an Express app in this process,
 * recorded by one small hook instead of instrumentation-http and instrumentation-express, which cost about a third
 * of the throughput here (see OTEL-FACTS.md). Per request: one context extraction, one sampler decision, one
 * histogram record after the response with the route template as `http.route`. Unsampled requests still run in a
 * (non-recording) span's context, so their child spans and log lines follow the same sampling decision.
 * Returns a function that removes the hook.
 */
export function instrumentHttpServers(tracer: Tracer, meter: Meter): () => void {
  const duration = meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
    description: 'Duration of HTTP server requests.',
    unit: 's',
  });
  const originalEmit = Server.prototype.emit;
  Server.prototype.emit = function emit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'request' || !servesExpressApp(this)) return Reflect.apply(originalEmit, this, [event, ...args]) as boolean;
    const [request, response] = args as [RoutedRequest, ServerResponse];
    return traceRequest(tracer, duration, request, response, () => Reflect.apply(originalEmit, this, [event, ...args]) as boolean);
  };
  return () => {
    Server.prototype.emit = originalEmit;
  };
}

function traceRequest(tracer: Tracer, duration: Histogram, request: RoutedRequest, response: ServerResponse, handle: () => boolean): boolean {
  const start = performance.now();
  const method = request.method !== undefined && KNOWN_METHODS.has(request.method) ? request.method : HTTP_REQUEST_METHOD_VALUE_OTHER;
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method } }, parent);
  // Given to record() explicitly: exemplars need this span, and 'close' need not run in the request's context.
  const requestContext = trace.setSpan(parent, span);
  response.once('close', () => {
    const route = routeTemplateOf(request);
    const statusCode = response.statusCode;
    duration.record((performance.now() - start) / 1000, {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_HTTP_ROUTE]: route,
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: statusCode,
    }, requestContext);
    if (!span.isRecording()) return;
    span.updateName(`${method} ${route}`);
    span.setAttribute(ATTR_HTTP_ROUTE, route);
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
    if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(requestContext, handle);
}

const isExpressServer = new WeakMap<Server, boolean>();

/**
 * Only servers whose request listener is an Express app are measured: their requests have route templates. The
 * Prometheus exporter's own server (and any other plain server in the process) is left alone.
 */
function servesExpressApp(server: Server): boolean {
  let known = isExpressServer.get(server);
  if (known === undefined) {
    known = server.listeners('request').some((listener) => 'handle' in listener && 'set' in listener);
    isExpressServer.set(server, known);
  }
  return known;
}
