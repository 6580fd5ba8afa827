import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { Options } from 'pino-http';
import type { AppConfig } from '@strongroom/config';
import { assignRequestId, routeTemplate } from '@strongroom/common';
import { REDACTED_LOG_PATHS } from './redaction';

const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

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
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    genReqId: (req: IncomingMessage, res: ServerResponse) => assignRequestId(req, res),
    serializers: {
      req: (req: { id: unknown; method: string }) => ({ id: req.id, method: req.method }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
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
