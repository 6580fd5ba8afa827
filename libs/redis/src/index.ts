export { InvalidationChannel } from './invalidation-channel';
export { RedisModule } from './redis.module';
export { REDIS_CLIENT } from './redis.tokens';
export { REDIS_KEY_PREFIX } from './redis-connection';
