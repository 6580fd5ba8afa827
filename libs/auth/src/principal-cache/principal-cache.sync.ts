import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { type AnnouncedWrite, onAnnouncedWrite } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { REDIS_CLIENT } from '@strongroom/redis';
import { type Invalidation, PrincipalCache } from './principal-cache';

const CHANNEL = 'strongroom:principal-invalidations';
const MAX_ENTRIES = 10_000;

/** Which cached principals a write to the users or sessions collection makes stale. */
export function invalidationFor(write: AnnouncedWrite): Invalidation | undefined {
  const { _id: ids, userId: userIds } = write.keys;
  if (write.collection === 'users') return ids ? { users: ids } : { all: true };
  if (write.collection !== 'sessions') return undefined;
  if (ids) return { sessions: ids };
  return userIds ? { users: userIds } : { all: true };
}

/**
 * Keeps the principal cache true on every instance: a write to a user or a session (through the
 * models, which announce it) drops the entries it touches here before the write's caller goes
 * on, and is published on Redis for the other instances (REDIS_URL, which running more than one
 * instance needs anyway). After a lost Redis connection an instance drops everything, since it
 * may have missed messages.
 */
@Injectable()
export class PrincipalCacheSync implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('PrincipalCache');
  readonly cache: PrincipalCache;
  private subscriber?: Redis;
  private stopListening?: () => void;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {
    this.cache = new PrincipalCache(config.auth.principalCacheTtlMs, MAX_ENTRIES);
  }

  async onModuleInit(): Promise<void> {
    this.stopListening = onAnnouncedWrite((write) => this.written(write));
    if (!this.redis || !this.cache.enabled) return;
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscriber = subscriber;
    subscriber.on('ready', () => this.cache.invalidate({ all: true }));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== CHANNEL) return;
      try {
        this.cache.invalidate(JSON.parse(message) as Invalidation);
      } catch {
        this.cache.invalidate({ all: true });
      }
    });
    await subscriber.subscribe(CHANNEL);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopListening?.();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private async written(write: AnnouncedWrite): Promise<void> {
    const invalidation = invalidationFor(write);
    if (!invalidation || !this.cache.enabled) return;
    this.cache.invalidate(invalidation);
    if (!this.redis) return;
    try {
      await this.redis.publish(CHANNEL, JSON.stringify(invalidation));
    } catch (error) {
      this.logger.warn(
        `could not tell the other instances to drop cached principals (${(error as Error).message}); they drop them within PRINCIPAL_CACHE_TTL`,
      );
    }
  }
}
