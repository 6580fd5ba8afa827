import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type Redis from 'ioredis';
import type { AnnouncedWrite } from '@strongroom/common';
import { InvalidationChannel, REDIS_CLIENT } from '@strongroom/redis';
import type { Invalidation } from './principal-cache';

export const PRINCIPAL_INVALIDATION_CHANNEL = 'strongroom:principal-invalidations';

/** Which cached principals a write to the users or sessions collection makes stale. */
export function invalidationFor(write: AnnouncedWrite): Invalidation | undefined {
  const { _id: ids, userId: userIds } = write.keys;
  if (write.collection === 'users') return ids ? { users: ids } : { all: true };
  if (write.collection !== 'sessions') return undefined;
  if (ids) return { sessions: ids };
  return userIds ? { users: userIds } : { all: true };
}

/**
 * Turns every write to a user or a session (announced by their models) into an invalidation:
 * handed to this process's cache first, then published on Redis for every instance (REDIS_URL,
 * which running more than one instance needs anyway), before the write's caller goes on. The
 * admin CLI runs this too, so a password it resets ends the sessions on the running servers.
 */
@Injectable()
export class PrincipalInvalidations implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('PrincipalCache');
  readonly channel: InvalidationChannel<Invalidation>;
  private stopListening?: () => void;

  constructor(@Inject(REDIS_CLIENT) redis: Redis | null) {
    this.channel = new InvalidationChannel<Invalidation>(redis, PRINCIPAL_INVALIDATION_CHANNEL, {
      all: true,
    });
  }

  onModuleInit(): void {
    this.stopListening = this.channel.followWrites(invalidationFor, (error) => {
      this.logger.warn(
        `could not tell the other instances to drop cached principals (${(error as Error).message}); they drop them within PRINCIPAL_CACHE_TTL`,
      );
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopListening?.();
    await this.channel.close();
  }
}
