export { LoggingModule } from './logging.module';
export { httpLoggerOptions } from './http-logger.options';
export { REQUEST_LOGGER } from './request-logger';
export { REDACTED_LOG_PATHS } from './redaction';
