import { type DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '@strongroom/audit';
import {
  AuthModule,
  JwtAuthGuard,
  MfaModule,
  OidcModule,
  PasskeysModule,
  RolesGuard,
} from '@strongroom/auth';
import { AppConfigModule, APP_CONFIG, type AppConfig } from '@strongroom/config';
import { DatabaseModule } from '@strongroom/database';
import { FilesModule } from '@strongroom/files';
import { BundlesModule } from '@strongroom/bundles';
import { GroupsModule } from '@strongroom/groups';
import { LinkPolicyModule } from '@strongroom/link-policy';
import { HealthModule } from '@strongroom/health';
import { InstanceStatsModule } from '@strongroom/instance-stats';
import { LoggingModule } from '@strongroom/logging';
import { MetricsModule } from '@strongroom/metrics';
import { PrivacyModule } from '@strongroom/privacy';
import { REDIS_CLIENT, RedisModule } from '@strongroom/redis';
import { SharingModule } from '@strongroom/sharing';
import { StorageModule } from '@strongroom/storage';
import { UploadRequestsModule } from '@strongroom/upload-requests';
import { UploadsModule } from '@strongroom/uploads';
import { UsersModule } from '@strongroom/users';
import { WebhooksModule } from '@strongroom/webhooks';
import { ApiInfoController } from './api-info.controller';
import { AppThrottlerGuard } from './http/app-throttler.guard';
import { GlobalExceptionFilter } from './http/global-exception.filter';
import { throttlerOptions } from './http/throttler.options';
import { WebAppModule } from './web-app/web-app.module';

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
        RedisModule,
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG, REDIS_CLIENT],
          useFactory: throttlerOptions,
        }),
        HealthModule,
        AuditModule,
        UsersModule,
        AuthModule,
        MfaModule,
        PasskeysModule,
        OidcModule,
        FilesModule,
        GroupsModule,
        BundlesModule,
        LinkPolicyModule,
        UploadsModule,
        SharingModule,
        UploadRequestsModule,
        WebhooksModule,
        PrivacyModule,
        InstanceStatsModule,
        WebAppModule.forRoot(config),
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
        // Order matters: rate limits first (floods never reach the database), then who, then may.
        { provide: APP_GUARD, useClass: AppThrottlerGuard },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
    };
  }
}
