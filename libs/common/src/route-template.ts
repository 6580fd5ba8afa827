import type { Request } from 'express';

const CATCH_ALL = '{*';

/**
 * The matched route pattern (`/api/v1/files/:id`), never the raw URL with its ids and tokens.
 * Requests that only reached a catch-all (Nest's not-found handler) count as `unmatched`.
 */
export function routeTemplate(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern !== 'string' || pattern.includes(CATCH_ALL)) return 'unmatched';
  return `${req.baseUrl ?? ''}${pattern}`;
}
