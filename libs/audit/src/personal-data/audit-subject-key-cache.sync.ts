import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { type AnnouncedWrite, DependencyUnavailableError } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { InvalidationChannel, REDIS_CLIENT } from '@strongroom/redis';
import { AuditSubjectKeyCache, type SubjectKeyInvalidation } from './audit-subject-key.cache';
import { AUDIT_SUBJECT_KEYS_COLLECTION } from './audit-subject-key.schema';

export const AUDIT_SUBJECT_KEY_INVALIDATION_CHANNEL = 'strongroom:audit-subject-key-invalidations';
const MAX_ENTRIES = 10_000;

/** Which cached subject keys a write to their collection makes stale. */
export function invalidationFor(write: AnnouncedWrite): SubjectKeyInvalidation | undefined {
  if (write.collection !== AUDIT_SUBJECT_KEYS_COLLECTION) return undefined;
  const subjects = write.keys.subjectId;
  return subjects ? { subjects } : { all: true };
}

/**
 * Keeps every instance's subject-key cache true, as PrincipalCacheSync does the principals':
 * each write to a subject key through the application (an erasure, a re-wrap by rotate-keys)
 * drops the entry in this process, then on every instance through Redis, before the write's
 * caller goes on; if Redis does not take the message, the write's caller fails (503), so an
 * erasure is not answered as done while another instance could still seal with the key, and is
 * repeated. Without REDIS_URL nothing is cached; while this instance's subscription is down its
 * cache answers nothing, and it starts empty once the subscription is back.
 */
@Injectable()
export class AuditSubjectKeyCacheSync implements OnModuleInit, OnModuleDestroy {
  readonly cache: AuditSubjectKeyCache;
  private readonly channel: InvalidationChannel<SubjectKeyInvalidation>;
  private live: () => boolean = () => false;
  private stopListening?: () => void;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS_CLIENT) redis: Redis | null) {
    this.channel = new InvalidationChannel<SubjectKeyInvalidation>(
      redis,
      AUDIT_SUBJECT_KEY_INVALIDATION_CHANNEL,
      { all: true },
    );
    this.cache = new AuditSubjectKeyCache({
      ttlMs: redis ? config.audit.subjectKeyCacheTtlMs : 0,
      maxEntries: MAX_ENTRIES,
      live: () => this.live(),
    });
    this.channel.onLocal((invalidation) => this.cache.invalidate(invalidation));
  }

  async onModuleInit(): Promise<void> {
    this.stopListening = this.channel.followWrites(invalidationFor, (error) => {
      throw new DependencyUnavailableError('redis', { cause: error });
    });
    if (!this.cache.enabled) return;
    const { live } = await this.channel.subscribe((invalidation) =>
      this.cache.invalidate(invalidation),
    );
    this.live = live;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopListening?.();
    await this.channel.close();
  }
}
