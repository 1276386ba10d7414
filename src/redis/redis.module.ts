import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Counters } from './counters.js';
import { PubSub } from './pubsub.js';
import { RedisCounters } from './redis-counters.js';
import { RedisKeys } from './redis-keys.js';
import { RedisPubSub } from './redis-pubsub.js';
import { REDIS } from './redis.tokens.js';

export { REDIS } from './redis.tokens.js';

/**
 * Refuses to run on a Redis that may evict keys: BullMQ's queues would silently lose jobs.
 * (BullMQ itself only warns.)
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  if (policy && policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is "${policy}"; it must be "noeviction" or queued jobs may be ` +
        'evicted. Set `maxmemory-policy noeviction` in redis.conf (or CONFIG SET).',
    );
  }
}

/**
 * The one home of Redis outside BullMQ: the shared ioredis client (`REDIS`), the key scheme
 * (`RedisKeys`), and the two seams features should prefer to the raw client: `PubSub` (one
 * subscriber connection per process) and `Counters` (expiring counters). Imported by the
 * modules that use it (not global).
 */
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const redis = new Redis(config.redis.url, {
          lazyConnect: true,
          maxRetriesPerRequest: 2,
          enableOfflineQueue: true,
          connectionName: `comments-${config.role}`,
        });
        await redis.connect();
        await assertNoEviction(redis);
        return redis;
      },
    },
    {
      provide: RedisKeys,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new RedisKeys(config.redis.prefix),
    },
    { provide: PubSub, useClass: RedisPubSub },
    { provide: Counters, useClass: RedisCounters },
  ],
  exports: [REDIS, RedisKeys, PubSub, Counters],
})
export class RedisModule implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisModule.name);
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.redis.quit();
    } catch (error) {
      this.logger.warn(`Redis quit failed: ${(error as Error).message}`);
      this.redis.disconnect();
    }
  }
}
