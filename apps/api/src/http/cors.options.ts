import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import cors from 'cors';
import type { RequestHandler } from 'express';
import type { HttpConfig } from '@strongroom/config';
import { FILE_ID_HEADER, UPLOADS_PATH } from '@strongroom/uploads';

/** What a browser's tus client sends and must read back (tus 1.0 core, creation, expiration). */
const TUS_REQUEST_HEADERS = ['Tus-Resumable', 'Upload-Length', 'Upload-Offset', 'Upload-Metadata'];
const TUS_RESPONSE_HEADERS = [
  'Location',
  'Tus-Resumable',
  'Tus-Version',
  'Tus-Extension',
  'Tus-Max-Size',
  'Upload-Offset',
  'Upload-Length',
  'Upload-Expires',
  FILE_ID_HEADER,
];

/**
 * CORS for browsers on other origins. A plain OPTIONS to the upload routes (no
 * Access-Control-Request-Method, so no preflight) is tus' discovery request and goes on to its
 * route, which answers with the protocol's headers; every other OPTIONS is CORS's.
 */
export function corsMiddleware(http: HttpConfig): RequestHandler {
  const handle = cors(corsOptions(http));
  return (req, res, next) => {
    const tusDiscovery =
      req.method === 'OPTIONS' &&
      !req.headers['access-control-request-method'] &&
      (req.path === UPLOADS_PATH || req.path.startsWith(`${UPLOADS_PATH}/`));
    if (tusDiscovery) next();
    else handle(req, res, next);
  };
}

const LOCALHOST_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

export function corsOptions(http: HttpConfig): CorsOptions {
  const allowed = http.allowedOrigins;
  return {
    origin:
      allowed === 'localhost'
        ? LOCALHOST_ORIGIN
        : allowed.includes('*')
          ? true
          : allowed.map((origin) => origin.replace(/\/$/, '')),
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'Range',
      'X-Request-Id',
      ...TUS_REQUEST_HEADERS,
    ],
    exposedHeaders: [
      'X-Request-Id',
      'Content-Disposition',
      'Content-Range',
      'ETag',
      'Retry-After',
      ...TUS_RESPONSE_HEADERS,
    ],
    maxAge: 600,
  };
}
