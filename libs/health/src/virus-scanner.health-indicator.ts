import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { VirusScanner } from '@strongroom/scanning';

/**
 * With CLAMAV_HOST set uploads fail closed without clamd, so it is part of readiness (unless
 * CLAMAV_FAIL_OPEN lets uploads through unscanned).
 */
@Injectable()
export class VirusScannerHealthIndicator {
  constructor(
    private readonly scanner: VirusScanner,
    private readonly indicators: HealthIndicatorService,
  ) {}

  get enabled(): boolean {
    return this.scanner.required;
  }

  async check(key: string) {
    const indicator = this.indicators.check(key);
    try {
      await this.scanner.ping();
      return indicator.up();
    } catch {
      // The reason (with clamd's address) goes to the upload logs, not to an unauthenticated probe.
      return indicator.down({ message: 'clamd does not answer PING' });
    }
  }
}
