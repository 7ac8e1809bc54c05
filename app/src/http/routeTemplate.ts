/** The route label of requests that matched no route, so unknown paths cannot blow up log or metric cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The template of the route Express matched (`/api/tasks/:id`, never the raw URL with its ids and query string), or
 * UNMATCHED_ROUTE. The one place that logs, metrics, spans and the slow request log take their route from.
 */
export function routeTemplateOf(request: { route?: { path?: unknown } }): string {
  return typeof request.route?.path === 'string' ? request.route.path : UNMATCHED_ROUTE;
}
