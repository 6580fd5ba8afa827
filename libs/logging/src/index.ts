export { LoggingModule } from './logging.module';
export { httpLoggerOptions } from './http-logger.options';
export { REQUEST_LOGGER } from './request-logger';
