import { channel } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

/** The route label of requests that matched no route, so unknown paths cannot blow up log or metric cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

/** What the HTTP layer publishes when a request matches a route: the request and the route's template. */
export interface RouteMatch {
  request: IncomingMessage;
  /** `/api/tasks/:id`, never the raw URL. */
  route: string;
}

/**
 * The diagnostics channel on which the HTTP layer tells whoever listens (the telemetry) which route template a request
 * matched, so the telemetry labels its spans and metrics by route without importing the HTTP layer, and the HTTP
 * layer knows nothing of the telemetry. Publishing costs nothing while nobody subscribes (OTEL_SDK_DISABLED).
 */
export const routeChannel = channel('observable-node-stack:http.route');
