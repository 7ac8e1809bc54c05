import { UNMATCHED_ROUTE } from '../routeChannel.ts';

/**
 * The template of the route Express matched (`/api/tasks/:id`, never the raw URL with its ids and query string), or
 * UNMATCHED_ROUTE. The one place the request log and the slow request log take their route from; spans and metrics
 * get the same template from defineRoute() through routeChannel.
 */
export function routeTemplateOf(request: { route?: { path?: unknown } }): string {
  return typeof request.route?.path === 'string' ? request.route.path : UNMATCHED_ROUTE;
}
