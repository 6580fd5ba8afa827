import type { Provider } from '@nestjs/common';
import { pinoHttp } from 'pino-http';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { httpLoggerOptions } from './http-logger.options';

/**
 * The request logger (pino-http): assigns the request id and writes the request's log line. The
 * HTTP setup mounts it ahead of every other middleware, so a request refused before routing
 * (a body that does not parse, an unknown route) still gets both.
 */
export const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');

export const requestLoggerProvider: Provider = {
  provide: REQUEST_LOGGER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => pinoHttp(httpLoggerOptions(config)),
};
