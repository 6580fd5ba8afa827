import type { Request } from 'express';

const CATCH_ALL = '{*';
const RESOLVED_TEMPLATE = Symbol('resolvedRouteTemplate');

/** A route pattern that matches anything (Nest's middleware and not-found catch-alls). */
export function isCatchAllPattern(pattern: string): boolean {
  return pattern.includes(CATCH_ALL);
}

/**
 * Records the template of the route a request is addressed to, resolved before routing, so a
 * request refused on the way (a body that fails to parse) is still labelled with its route.
 */
export function rememberRouteTemplate(req: Request, template: string): void {
  (req as Request & { [RESOLVED_TEMPLATE]?: string })[RESOLVED_TEMPLATE] = template;
}

/**
 * The matched route pattern (`/api/v1/files/:id`), never the raw URL with its ids and tokens.
 * Before routing it is the template resolved for the request's method and path, if any; requests
 * that match no route (real 404s) count as `unmatched`.
 */
export function routeTemplate(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string' && !isCatchAllPattern(pattern)) {
    return `${req.baseUrl ?? ''}${pattern}`;
  }
  return (req as Request & { [RESOLVED_TEMPLATE]?: string })[RESOLVED_TEMPLATE] ?? 'unmatched';
}
