import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type SpanOptions, type Histogram, type Meter, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import { memoized } from '../memoized.ts';
import { routeChannel, UNMATCHED_ROUTE, type RouteMatch } from '../routeChannel.ts';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE']);
/** `error.type` of a request whose client went away before the response was complete (no status was answered). */
const ERROR_TYPE_ABORTED = 'aborted';

/** How an incoming `traceparent` is used: joined (`trust`, the default) or only linked from a new root (`link`). */
export type IncomingTraceContext = 'trust' | 'link';

const routeOf = Symbol('http.route');
type RoutedRequest = IncomingMessage & { [routeOf]?: string };

/**
 * The HTTP server span and `http.server.request.duration` of every request to an Express app in this process,
 * recorded by one small hook instead of instrumentation-http and instrumentation-express, which cost about a third
 * of the throughput here (see OTEL-FACTS.md). Per request: one context extraction, one sampler decision, one
 * histogram record after the response, with an attribute object reused per (method, route, status). The route
 * template comes from the HTTP layer through `routeChannel`. Unsampled requests still run in a (non-recording) span's
 * context, so their child spans, outbound `traceparent` and log lines follow the same sampling decision.
 *
 * Node's own `http.server.request.start` diagnostics channel cannot replace the `emit` hook: the request handler has
 * to run inside the request's context, and a channel subscriber runs before it, not around it.
 *
 * Incoming `baggage` is dropped at the edge: it is caller-controlled data and must not reach the catalog (outbound
 * calls inject what is in the context). With `incoming: 'link'` a caller's `traceparent` starts a new root trace
 * that links to it (for an app on the open internet). Returns a function that removes the hook.
 */
export function instrumentHttpServers(tracer: Tracer, meter: Meter, incoming: IncomingTraceContext = 'trust'): () => void {
  const duration = meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, { description: 'Duration of HTTP server requests.', unit: 's' });
  const attributesOf = cachedAttributes();
  const onRoute = (message: unknown): void => {
    const { request, route } = message as RouteMatch;
    (request as RoutedRequest)[routeOf] = route;
  };
  routeChannel.subscribe(onRoute);
  const originalEmit = Server.prototype.emit;
  Server.prototype.emit = function emit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'request' || !servesExpressApp(this)) return Reflect.apply(originalEmit, this, [event, ...args]) as boolean;
    const [request, response] = args as [RoutedRequest, ServerResponse];
    const run = () => Reflect.apply(originalEmit, this, [event, ...args]) as boolean;
    return traceRequest(tracer, duration, attributesOf, incoming, request, response, run);
  };
  return () => {
    Server.prototype.emit = originalEmit;
    routeChannel.unsubscribe(onRoute);
  };
}

function traceRequest(
  tracer: Tracer,
  duration: Histogram,
  attributesOf: ReturnType<typeof cachedAttributes>,
  incoming: IncomingTraceContext,
  request: RoutedRequest,
  response: ServerResponse,
  handle: () => boolean,
): boolean {
  const start = performance.now();
  const method = request.method !== undefined && KNOWN_METHODS.has(request.method) ? request.method : HTTP_REQUEST_METHOD_VALUE_OTHER;
  const parent = callerContext(request, incoming);
  const span = tracer.startSpan(method, spanOptions(method, incoming, request), parent);
  // Given to record() explicitly: exemplars need this span, and 'close' need not run in the request's context.
  const requestContext = trace.setSpan(parent, span);
  response.once('close', () => {
    const route = request[routeOf] ?? UNMATCHED_ROUTE;
    // A response that did not finish was cut off: the client went away, or the server closed the connection.
    const aborted = !response.writableFinished;
    const statusCode = aborted && !response.headersSent ? undefined : response.statusCode;
    duration.record((performance.now() - start) / 1000, attributesOf(method, route, statusCode, aborted), requestContext);
    if (!span.isRecording()) return;
    span.updateName(`${method} ${route}`);
    span.setAttribute(ATTR_HTTP_ROUTE, route);
    if (statusCode !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
    if (aborted) span.setAttribute(ATTR_ERROR_TYPE, ERROR_TYPE_ABORTED);
    if (aborted || (statusCode ?? 0) >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(requestContext, handle);
}

/** The caller's trace context from the headers, without its baggage; none at all in `link` mode. */
function callerContext(request: IncomingMessage, incoming: IncomingTraceContext): Context {
  if (incoming === 'link') return ROOT_CONTEXT;
  const extracted = propagation.extract(ROOT_CONTEXT, request.headers);
  return propagation.getBaggage(extracted) === undefined ? extracted : propagation.deleteBaggage(extracted);
}

/** In `link` mode, the caller's span context (if any) becomes a link of the new root span. */
function spanOptions(method: string, incoming: IncomingTraceContext, request: IncomingMessage): SpanOptions {
  const options = serverSpanOptions(method);
  if (incoming === 'trust') return options;
  const caller = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, request.headers));
  return caller === undefined ? options : { ...options, links: [{ context: caller }] };
}

/** The server span's options per method (known methods or `_OTHER`): the SDK copies what it keeps, so one each will do. */
const serverSpanOptions = memoized((method: string): SpanOptions => ({ kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method } }));

/**
 * One attribute object per (method, route, status, aborted): the few combinations a service has are built once,
 * instead of an object per request.
 */
function cachedAttributes() {
  return memoized((method: string, route: string, statusCode: number | undefined, aborted: boolean) => ({
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_HTTP_ROUTE]: route,
    ...(statusCode !== undefined && { [ATTR_HTTP_RESPONSE_STATUS_CODE]: statusCode }),
    ...(aborted && { [ATTR_ERROR_TYPE]: ERROR_TYPE_ABORTED }),
  }));
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
