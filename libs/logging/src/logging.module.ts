import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';
import { REQUEST_LOGGER, requestLoggerProvider } from './request-logger';

@Module({ providers: [requestLoggerProvider], exports: [REQUEST_LOGGER] })
class RequestLoggerModule {}

@Module({
  imports: [
    RequestLoggerModule,
    // nestjs-pino logs through the request logger mounted by the HTTP setup (useExisting), and
    // binds each request's logger for the code that handles it.
    LoggerModule.forRootAsync({
      imports: [RequestLoggerModule],
      inject: [REQUEST_LOGGER],
      useFactory: (requestLogger: HttpLogger) => ({
        pinoHttp: { logger: requestLogger.logger },
        useExisting: true,
        // Every route, in Nest 11's path syntax (nestjs-pino's default '*' logs a conversion warning).
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
  exports: [RequestLoggerModule],
})
export class LoggingModule {}
