import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { REDIS_CLIENT } from '@strongroom/redis';
import { type Invalidation, PrincipalCache } from './principal-cache';
import { PRINCIPAL_INVALIDATION_CHANNEL, PrincipalInvalidations } from './principal-invalidations';

const MAX_ENTRIES = 10_000;

/**
 * Keeps this instance's principal cache true: it drops what this process's writes touch
 * (PrincipalInvalidations) and what the other instances and the admin CLI publish on Redis.
 * Without REDIS_URL there is no cache: nothing could tell this instance about a password reset
 * by the CLI. After a lost Redis connection it drops everything, since it may have missed
 * messages.
 */
@Injectable()
export class PrincipalCacheSync implements OnModuleInit, OnModuleDestroy {
  readonly cache: PrincipalCache;
  private subscriber?: Redis;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    invalidations: PrincipalInvalidations,
  ) {
    this.cache = new PrincipalCache(redis ? config.auth.principalCacheTtlMs : 0, MAX_ENTRIES);
    invalidations.onLocal((invalidation) => this.cache.invalidate(invalidation));
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis || !this.cache.enabled) return;
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscriber = subscriber;
    subscriber.on('ready', () => this.cache.invalidate({ all: true }));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== PRINCIPAL_INVALIDATION_CHANNEL) return;
      try {
        this.cache.invalidate(JSON.parse(message) as Invalidation);
      } catch {
        this.cache.invalidate({ all: true });
      }
    });
    await subscriber.subscribe(PRINCIPAL_INVALIDATION_CHANNEL);
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
