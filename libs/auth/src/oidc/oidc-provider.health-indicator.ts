import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { OidcProviderClient } from './oidc-provider.client';
import { SSO_FAILURE_MESSAGES, SsoFailure } from './sso-failure';

/**
 * The identity provider answers discovery. Readiness counts it only when SSO is the only way in
 * (OIDC_ONLY): otherwise a provider outage leaves password sign-in, and the instance, serving.
 */
@Injectable()
export class OidcProviderHealthIndicator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly provider: OidcProviderClient,
    private readonly indicators: HealthIndicatorService,
  ) {}

  get required(): boolean {
    return this.config.oidc?.only === true;
  }

  async check(key: string) {
    const indicator = this.indicators.check(key);
    try {
      await this.provider.probe();
      return indicator.up();
    } catch (error) {
      const code = error instanceof SsoFailure ? error.code : 'provider_unavailable';
      return indicator.down({ message: SSO_FAILURE_MESSAGES[code] });
    }
  }
}
