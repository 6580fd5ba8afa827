import type { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type Redis from 'ioredis';
import { DependencyUnavailableError } from '@strongroom/common';

const COUNT_COMMAND = 'strongroomThrottlerIncrement';

type CountingRedis = Redis & {
  [COUNT_COMMAND](
    hitKey: string,
    blockKey: string,
    throttlerName: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<unknown>;
};

/**
 * The rate-limit counters in the shared Redis, so the limits hold across instances. The counting
 * is @nest-lab's Lua script (one atomic round trip), run by its SHA1 (EVALSHA, ioredis sending
 * the text only when Redis has not seen it yet): @nest-lab sends the whole script with every
 * request, which Redis then hashes again. A Redis that is away becomes our 503 instead of a 500.
 * It does not own the client: RedisModule closes it.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: CountingRedis;

  constructor(redis: Redis) {
    if (!(COUNT_COMMAND in redis)) {
      const lua = ThrottlerStorageRedisService.prototype.getScriptSrc();
      redis.defineCommand(COUNT_COMMAND, { numberOfKeys: 2, lua });
    }
    this.redis = redis as CountingRedis;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ReturnType<ThrottlerStorage['increment']> {
    let result: unknown;
    try {
      // The key names @nest-lab uses, so counters survive an upgrade either way.
      result = await this.redis[COUNT_COMMAND](
        `{${key}:${throttlerName}}:hits`,
        `{${key}:${throttlerName}}:blocked`,
        throttlerName,
        ttl,
        limit,
        blockDuration,
      );
    } catch (error) {
      throw new DependencyUnavailableError('redis', { cause: error });
    }
    if (!Array.isArray(result) || result.length !== 4 || !result.every(Number.isFinite)) {
      throw new TypeError(`the rate-limit script answered ${JSON.stringify(result)}`);
    }
    const [totalHits, timeToExpire, isBlocked, timeToBlockExpire] = result as number[];
    return {
      totalHits,
      timeToExpire: Math.ceil(timeToExpire / 1000),
      isBlocked: isBlocked === 1,
      timeToBlockExpire: Math.ceil(timeToBlockExpire / 1000),
    };
  }
}
