import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { Options } from 'pino-http';
import type { AppConfig } from '@strongroom/config';
import { assignRequestId, routeTemplate } from '@strongroom/common';
import { censorLogObject, censorSecrets } from './redaction';

const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

/** The keys with a serializer below: each copies only what is logged. */
const SERIALIZED_KEYS = new Set(['req', 'res', 'err']);

function userIdOf(req: IncomingMessage): string | undefined {
  const user = (req as Request & { user?: { id?: unknown } }).user;
  return typeof user?.id === 'string' ? user.id : undefined;
}

/**
 * The route and the user of a request, added to its response line's object. Not customProps:
 * pino-http calls that at the start of the request too, before routing and authentication, and
 * makes a child logger of each answer (three per request in all, each serializing its bindings).
 */
function withRouteAndUser<T extends object>(req: IncomingMessage, line: T) {
  return { ...line, route: routeTemplate(req as Request), userId: userIdOf(req) };
}

/**
 * One JSON line per request: method, route template, status, duration, request id and user id.
 * The raw URL and headers are left out on purpose: paths can carry share-link tokens.
 */
export function httpLoggerOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
    // Not pino's `redact`: request and response serializers that copy only what is logged keep
    // headers (Authorization, Cookie, Set-Cookie, X-Api-Key) out, and one walk censors secrets
    // anywhere else in a line, for a fraction of the path redaction's cost per line. (A child
    // logger's bindings are not walked: the only ones made are pino-http's, of the request.)
    formatters: { log: (line) => censorLogObject(line, SERIALIZED_KEYS) },
    genReqId: (req: IncomingMessage, res: ServerResponse) => assignRequestId(req, res),
    serializers: {
      req: (req: { id: unknown; method: string }) => ({ id: req.id, method: req.method }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      // pino-http hands this pino's serialized error (message, stack and its own fields).
      err: (err: object) => censorSecrets(err),
    },
    customSuccessObject: (req, _res, line: object) => withRouteAndUser(req, line),
    customErrorObject: (req, _res, _error, line: object) => withRouteAndUser(req, line),
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      return res.statusCode >= 400 ? 'warn' : 'info';
    },
    customSuccessMessage: (req, res) =>
      `${req.method} ${routeTemplate(req as Request)} ${res.statusCode}`,
    customErrorMessage: (req, res) =>
      `${req.method} ${routeTemplate(req as Request)} ${res.statusCode}`,
    autoLogging: { ignore: (req) => QUIET_PATHS.includes((req.url ?? '').split('?')[0]) },
    transport:
      config.environment === 'development'
        ? {
            target: 'pino-pretty',
            options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
          }
        : undefined,
  };
}
