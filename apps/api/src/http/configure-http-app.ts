import { RequestMethod } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application, RequestHandler } from 'express';
import type { Server } from 'node:http';
import type { AppConfig } from '@strongroom/config';
import { REQUEST_LOGGER } from '@strongroom/logging';
import { HttpMetricsMiddleware } from '@strongroom/metrics';
import { tuneGarbageCollectorForStreaming } from '../runtime/streaming-gc';
import { bodyDeadline } from './body-deadline';
import { corsMiddleware } from './cors.options';
import { jsonBodyParser } from './json-body';
import { methodNotAllowed } from './method-not-allowed';
import { RouteTable } from './route-table';
import { securityHeaders } from './security-headers';
import { DOCS_PATH, setupSwagger } from './swagger.setup';
import { answerBeforeTheBody } from './early-answer';

export const API_PREFIX = 'api/v1';
const UNPREFIXED_ROUTES = [
  'health',
  'health/live',
  'health/ready',
  'metrics',
  's/:token',
  's/:token/download',
  'r/:token',
  'r/:token/unlock',
  's/:token/code',
  's/:token/verify',
];

/** Everything HTTP-level the server and the e2e tests share, so tests exercise the real setup. */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  tuneGarbageCollectorForStreaming();
  app.set('trust proxy', config.http.trustProxy);
  // No SHA-1 of every JSON answer for an ETag no API client uses (the contract's one ETag, a
  // file's SHA-256 on its content, is set by the download itself); files sent from disk (the web
  // app) still carry Last-Modified for revalidation.
  app.set('etag', false);
  // First of all, so every request has its id, its log line and its timing, whatever refuses it.
  app.use(app.get<RequestHandler>(REQUEST_LOGGER));
  const metrics = app.get(HttpMetricsMiddleware);
  app.use(metrics.use.bind(metrics));
  app.use(securityHeaders());
  app.use(corsMiddleware(config.http));
  const express = app.getHttpAdapter().getInstance() as Application;
  app.use(methodNotAllowed(new RouteTable(() => express.router)));
  app.use(bodyDeadline(config.http.bodyTimeoutMs));
  app.use(jsonBodyParser(config.http.jsonBodyLimit));
  // Only the share-link page posts forms (its password, a recipient's address and code).
  app.useBodyParser('urlencoded', { limit: '4kb', extended: false });
  app.setGlobalPrefix(API_PREFIX, {
    exclude: UNPREFIXED_ROUTES.map((path) => ({ path, method: RequestMethod.ALL })),
  });
  setupSwagger(app, config);
  applyServerTimeouts(app.getHttpServer(), config);
  answerBeforeTheBody(app.getHttpServer());
}

/**
 * Slow clients cannot hold a socket forever (headers and idle timeouts), yet a long upload that
 * keeps sending is never cut: Node's whole-request timeout (300 s by default) is switched off.
 */
function applyServerTimeouts(server: Server, config: AppConfig): void {
  server.requestTimeout = 0;
  server.headersTimeout = config.http.headersTimeoutMs;
  server.timeout = config.http.idleTimeoutMs;
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
}

export { DOCS_PATH };
