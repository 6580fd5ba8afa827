import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { STORAGE_PROVIDER, type StorageProvider } from '@strongroom/storage';

@Injectable()
export class StorageHealthIndicator {
  constructor(
    @Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const indicator = this.indicators.check(key);
    try {
      await this.storage.checkHealth();
      return indicator.up({ driver: this.storage.driver });
    } catch (error) {
      // Adapter messages name the failure kind only, never paths or endpoints.
      return indicator.down({ driver: this.storage.driver, message: (error as Error).message });
    }
  }
}
