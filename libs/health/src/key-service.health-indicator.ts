import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { KEY_WRAPPER, type RoutingKeyWrapper } from '@strongroom/encryption';

/** Whether the key provider can wrap and unwrap now: without it no file is stored or read. */
@Injectable()
export class KeyServiceHealthIndicator {
  constructor(
    @Inject(KEY_WRAPPER) private readonly keys: RoutingKeyWrapper,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** The local provider needs no peer; readiness only asks when a KMS is configured. */
  get configured(): boolean {
    return this.keys.providers.some((provider) => provider !== 'local');
  }

  async check(key: string) {
    const indicator = this.indicators.check(key);
    try {
      await this.keys.checkHealth();
      return indicator.up({ provider: this.keys.provider });
    } catch {
      // The cause may name the endpoint; readiness says what is down, the log says why.
      return indicator.down({
        provider: this.keys.provider,
        message: 'the key service (KMS) does not answer, so files cannot be stored or read',
      });
    }
  }
}
