import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OidcModule } from '@strongroom/auth';
import { EncryptionModule } from '@strongroom/encryption';
import { ScanningModule } from '@strongroom/scanning';
import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';
import { KeyServiceHealthIndicator } from './key-service.health-indicator';
import { RedisHealthIndicator } from './redis.health-indicator';
import { StorageHealthIndicator } from './storage.health-indicator';
import { VirusScannerHealthIndicator } from './virus-scanner.health-indicator';

@Module({
  imports: [
    TerminusModule.forRoot({ logger: false }),
    ScanningModule,
    OidcModule,
    EncryptionModule,
  ],
  controllers: [HealthController],
  providers: [
    ReadinessService,
    StorageHealthIndicator,
    VirusScannerHealthIndicator,
    RedisHealthIndicator,
    KeyServiceHealthIndicator,
  ],
})
export class HealthModule {}
