import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { connectRedis } from './redis-connection';
import { REDIS_CLIENT } from './redis.tokens';

const logger = new Logger('Redis');

/** The shared Redis connection when REDIS_URL is set (REDIS_CLIENT is null otherwise). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<Redis> | null => {
        const url = config.rateLimit.redisUrl;
        if (!url) return null;
        return connectRedis(url, {
          log: (message) => logger.log(message),
          warn: (message) => logger.warn(message),
        });
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  /** After the HTTP server has drained, so no request still needs the connection. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
