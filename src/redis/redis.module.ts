import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { getLoggerToken, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PostgresCounters } from '../transport/postgres-counters.js';
import { PostgresPubSub } from '../transport/postgres-pub-sub.js';
import { Counters } from './counters.js';
import { PubSub } from './pubsub.js';
import { RedisCounters } from './redis-counters.js';
import { RedisKeys } from './redis-keys.js';
import { RedisPubSub } from './redis-pubsub.js';
import { REDIS } from './redis.tokens.js';

export { REDIS } from './redis.tokens.js';

/**
 * ioredis options for our own connections (cache, counters, pub/sub, streams): the commands
 * issued in one event-loop turn go out in one write and come back in one read — on this kind
 * of machine a round trip, not the command, is what costs. Blocking commands are never held
 * back for a pipeline, pub/sub commands never are (ioredis). BullMQ's connections do not use
 * it (see queue.module.ts).
 */
export const AUTO_PIPELINING = {
  enableAutoPipelining: true,
  autoPipeliningIgnoredCommands: ['bzpopmin', 'bzpopmax', 'blpop', 'brpop', 'blmove', 'xread'],
};

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
 * The one home of the transport outside BullMQ (README "Transports"): the key scheme
 * (`RedisKeys`), and the two seams features should prefer to a raw client, `PubSub` and
 * `Counters`, each bound to the transport's implementation. With the Redis transport: the
 * shared ioredis client (`REDIS`), Redis pub/sub (one subscriber connection per process) and
 * Redis counters. With the PostgreSQL transport (REDIS_URL unset): LISTEN/NOTIFY and an
 * unlogged table; `REDIS` is then null and no Redis connection is made (what needs the raw
 * client, the Redis Stream and the Redis thread cache, is not used). Imported by the modules
 * that use it (not global).
 */
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<Redis | null> => {
        if (config.transport !== 'redis') return null;
        const redis = new Redis(config.redis.url, {
          ...AUTO_PIPELINING,
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
    {
      provide: PubSub,
      inject: [APP_CONFIG, REDIS, RedisKeys, DataSource, getLoggerToken(RedisPubSub.name)],
      useFactory: (
        config: AppConfig,
        redis: Redis | null,
        keys: RedisKeys,
        db: DataSource,
        logger: PinoLogger,
      ): PubSub =>
        redis
          ? new RedisPubSub(redis, keys, config, logger)
          : new PostgresPubSub(db, {
              url: config.database.url,
              prefix: config.redis.prefix,
              applicationName: `comments-${config.role}-pubsub`,
            }),
    },
    {
      provide: Counters,
      inject: [APP_CONFIG, REDIS, RedisKeys, DataSource],
      useFactory: (config: AppConfig, redis: Redis | null, keys: RedisKeys, db: DataSource) =>
        redis ? new RedisCounters(redis, keys) : new PostgresCounters(db, keys),
    },
  ],
  exports: [REDIS, RedisKeys, PubSub, Counters],
})
export class RedisModule implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisModule.name);
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.quit();
    } catch (error) {
      this.logger.warn(`Redis quit failed: ${(error as Error).message}`);
      this.redis.disconnect();
    }
  }
}
