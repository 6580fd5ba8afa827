import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from '@strongroom/redis';

/** Redis answers a PING (the client fails at once while disconnected, else within its timeout). */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly indicators: HealthIndicatorService,
  ) {}

  get configured(): boolean {
    return this.redis !== null;
  }

  async check(key: string) {
    const indicator = this.indicators.check(key);
    try {
      await this.redis?.ping();
      return indicator.up();
    } catch (error) {
      // ioredis' messages name the failure kind (connection closed, timeout), never the URL.
      return indicator.down({ message: (error as Error).message });
    }
  }
}
