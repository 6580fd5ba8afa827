import type { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type Redis from 'ioredis';
import { DependencyUnavailableError } from '@strongroom/common';

/**
 * The rate-limit counters in the shared Redis, so the limits hold across instances. The counting
 * itself is @nest-lab's Lua script (one atomic round trip); this adapter only turns a Redis that is
 * away into our 503 instead of a 500. It does not own the client: RedisModule closes it.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly store: ThrottlerStorageRedisService;

  constructor(redis: Redis) {
    this.store = new ThrottlerStorageRedisService(redis);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ReturnType<ThrottlerStorage['increment']> {
    try {
      return await this.store.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      throw new DependencyUnavailableError('redis', { cause: error });
    }
  }
}
