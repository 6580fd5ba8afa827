import { type ThrottlerModuleOptions, ThrottlerStorageService } from '@nestjs/throttler';
import { AUTH_THROTTLER, isAuthRateLimited } from '@strongroom/auth';
import type { AppConfig } from '@strongroom/config';

/**
 * Per client IP (as resolved through `TRUST_PROXY`): a general limit on every route, and a
 * stricter one on register, login and refresh. The store is chosen here so a shared Redis store
 * can replace the in-memory one for several instances without touching guards.
 */
export function throttlerOptions(config: AppConfig): ThrottlerModuleOptions {
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
    storage: new ThrottlerStorageService(),
    errorMessage: 'Too many requests; wait for the number of seconds in Retry-After',
  };
}
