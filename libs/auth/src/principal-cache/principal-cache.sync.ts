import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { REDIS_CLIENT } from '@strongroom/redis';
import { PrincipalCache } from './principal-cache';
import { PrincipalInvalidations } from './principal-invalidations';

const MAX_ENTRIES = 10_000;

/**
 * Keeps this instance's principal cache true: it drops what this process's writes touch
 * (PrincipalInvalidations) and what the other instances and the admin CLI publish on Redis.
 * Without REDIS_URL there is no cache: nothing could tell this instance about a password reset
 * by the CLI. After a lost Redis connection it drops everything, since it may have missed
 * messages.
 */
@Injectable()
export class PrincipalCacheSync implements OnModuleInit {
  readonly cache: PrincipalCache;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS_CLIENT) redis: Redis | null,
    private readonly invalidations: PrincipalInvalidations,
  ) {
    this.cache = new PrincipalCache(redis ? config.auth.principalCacheTtlMs : 0, MAX_ENTRIES);
    invalidations.channel.onLocal((invalidation) => this.cache.invalidate(invalidation));
  }

  async onModuleInit(): Promise<void> {
    if (!this.cache.enabled) return;
    await this.invalidations.channel.subscribe((invalidation) =>
      this.cache.invalidate(invalidation),
    );
  }
}
