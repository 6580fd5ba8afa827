import { HttpException, Inject, Injectable } from '@nestjs/common';
import {
  HealthCheckService,
  type HealthCheckResult,
  MongooseHealthIndicator,
} from '@nestjs/terminus';
import { OidcProviderHealthIndicator } from '@strongroom/auth';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { KeyServiceHealthIndicator } from './key-service.health-indicator';
import { RedisHealthIndicator } from './redis.health-indicator';
import { StorageHealthIndicator } from './storage.health-indicator';
import { VirusScannerHealthIndicator } from './virus-scanner.health-indicator';

export interface Readiness {
  ready: boolean;
  result: HealthCheckResult;
}

/**
 * Can this instance serve traffic: the database answers a ping, storage takes a write, and, when
 * configured, clamd answers a PING (uploads need it), Redis answers (every rate-limited request
 * needs it), the KMS describes the key (every upload and download needs it) and, when single sign-on is the only way in, the identity provider answers.
 */
@Injectable()
export class ReadinessService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly database: MongooseHealthIndicator,
    private readonly storage: StorageHealthIndicator,
    private readonly virusScanner: VirusScannerHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly identityProvider: OidcProviderHealthIndicator,
    private readonly keyService: KeyServiceHealthIndicator,
  ) {}

  async check(): Promise<Readiness> {
    try {
      const result = await this.health.check([
        () => this.database.pingCheck('database', { timeout: this.config.database.pingTimeoutMs }),
        () => this.storage.check('storage'),
        ...(this.virusScanner.enabled ? [() => this.virusScanner.check('virusScanner')] : []),
        ...(this.redis.configured ? [() => this.redis.check('redis')] : []),
        ...(this.keyService.configured ? [() => this.keyService.check('keyService')] : []),
        ...(this.identityProvider.required
          ? [() => this.identityProvider.check('identityProvider')]
          : []),
      ]);
      return { ready: true, result };
    } catch (error) {
      if (error instanceof HttpException) {
        return { ready: false, result: error.getResponse() as HealthCheckResult };
      }
      throw error;
    }
  }
}
