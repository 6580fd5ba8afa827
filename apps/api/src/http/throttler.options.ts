import { type ThrottlerModuleOptions, ThrottlerStorageService } from '@nestjs/throttler';
import { AUTH_THROTTLER, isAuthRateLimited } from '@strongroom/auth';
import type { AppConfig } from '@strongroom/config';
import type Redis from 'ioredis';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * Per client IP (as resolved through `TRUST_PROXY`): a general limit on every route, and a
 * stricter one on register, login and refresh. Counted in this process's memory, or with
 * REDIS_URL in the shared Redis, so that several instances enforce one limit together.
 */
export function throttlerOptions(config: AppConfig, redis: Redis | null): ThrottlerModuleOptions {
  const windowMs = config.rateLimit.windowMs;
  return {
    throttlers: [
      { name: 'default', ttl: windowMs, limit: config.rateLimit.limit },
      {
        name: AUTH_THROTTLER,
        ttl: windowMs,
        limit: config.auth.rateLimit,
        skipIf: (context) => !isAuthRateLimited(context),
      },
    ],
    storage: redis ? new RedisThrottlerStorage(redis) : new ThrottlerStorageService(),
    errorMessage: 'Too many requests; wait for the number of seconds in Retry-After',
  };
}
