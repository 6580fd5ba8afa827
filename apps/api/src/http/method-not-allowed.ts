import { MethodNotAllowedException } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { rememberRouteTemplate } from '@strongroom/common';
import type { RouteTable } from './route-table';

/**
 * Places each request on its route before the body is read: a known path asked with a method it
 * does not serve is a 405 listing the ones it does, and the route's template labels the request
 * in logs and metrics even when a later stage (a body parser) refuses it. Unknown paths go on to
 * Nest's 404. CORS preflights never get here: the CORS middleware answers every OPTIONS.
 */
export function methodNotAllowed(routes: RouteTable): RequestHandler {
  return (req, res, next) => {
    const match = routes.match(req);
    if (match.template === undefined) return next();
    rememberRouteTemplate(req, match.template);
    if (match.served) return next();
    // Read only here: for a served request it runs every other matcher of the path.
    const allowed = match.allowed.join(', ');
    res.setHeader('Allow', allowed);
    next(
      new MethodNotAllowedException(
        `${req.method} is not allowed here; this path accepts ${allowed}`,
      ),
    );
  };
}
