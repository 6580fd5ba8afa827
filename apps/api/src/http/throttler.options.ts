import { type ThrottlerModuleOptions, ThrottlerStorageService } from '@nestjs/throttler';
import type { AppConfig } from '@strongroom/config';

/**
 * Global limits per client IP (as resolved through `TRUST_PROXY`). The store is chosen here so a
 * shared Redis store can replace the in-memory one for several instances without touching guards.
 */
export function throttlerOptions(config: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: 'default', ttl: config.rateLimit.windowMs, limit: config.rateLimit.limit },
    ],
    storage: new ThrottlerStorageService(),
    errorMessage: 'Too many requests; wait for the number of seconds in Retry-After',
  };
}
