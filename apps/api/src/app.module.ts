import { type DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppConfigModule, APP_CONFIG, type AppConfig } from '@strongroom/config';
import { DatabaseModule } from '@strongroom/database';
import { FilesModule } from '@strongroom/files';
import { HealthModule } from '@strongroom/health';
import { LoggingModule } from '@strongroom/logging';
import { MetricsModule } from '@strongroom/metrics';
import { StorageModule } from '@strongroom/storage';
import { UsersModule } from '@strongroom/users';
import { ApiInfoController } from './api-info.controller';
import { GlobalExceptionFilter } from './http/global-exception.filter';
import { throttlerOptions } from './http/throttler.options';

@Module({})
export class AppModule {
  /** The whole application for one validated configuration; tests build it the same way. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule,
        MetricsModule,
        DatabaseModule,
        StorageModule,
        ThrottlerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: throttlerOptions }),
        HealthModule,
        UsersModule,
        FilesModule,
      ],
      controllers: [ApiInfoController],
      providers: [
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
          }),
        },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
      ],
    };
  }
}
