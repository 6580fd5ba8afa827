import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { httpLoggerOptions } from './http-logger.options';

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => httpLoggerOptions(config),
    }),
  ],
})
export class LoggingModule {}
