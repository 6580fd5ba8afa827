export { LoggingModule } from './logging.module';
export { httpLoggerOptions } from './http-logger.options';
export { REDACTED_LOG_PATHS } from './redaction';
