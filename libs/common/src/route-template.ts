import type { Request } from 'express';

/** The matched route pattern (`/api/v1/files/:id`), never the raw URL with its ids and tokens. */
export function routeTemplate(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${req.baseUrl ?? ''}${pattern}` : 'unmatched';
}
