import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../../config/app.config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { RedisKeys } from '../../redis/redis-keys.js';
import { REDIS } from '../../redis/redis.module.js';
import {
  RelayTargetRegistry,
  type RelayTarget,
  type RelayedEvent,
} from '../outbox/relay-target.js';

/** Redis refuses an explicit id at or below the stream's last one. */
const ALREADY_THERE = /equal or smaller than the target stream top item/i;

/**
 * Relay target (Redis transport only: with PostgreSQL alone `REDIS` is null and this target does
 * not register, so the relay hands events to the others): the Redis Stream `<REDIS_PREFIX>:events`, one entry per event, field `event`
 * holding the CloudEvent JSON. The entry id is `<sequence>-0`, so Redis itself refuses a
 * duplicate or out-of-order entry (a batch handed over again after a crash between XADD and
 * marking the rows relayed): consumers see each event once, in sequence order. Trimmed
 * (approximately) to EVENTS_STREAM_MAXLEN entries.
 */
@Injectable()
export class EventStreamPublisher implements RelayTarget {
  readonly name = 'redis-stream';
  readonly order = 10;
  private warnedAhead = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(EventStreamPublisher.name) private readonly logger: PinoLogger,
    registry: RelayTargetRegistry,
  ) {
    if (redis) registry.register(this);
  }

  async relay(batch: readonly RelayedEvent[]): Promise<void> {
    const redis = this.redis;
    if (!batch.length || !redis) return;
    const key = this.keys.events;
    const maxLen = String(this.config.events.streamMaxLen);
    const pipeline = redis.pipeline();
    for (const event of batch) {
      pipeline.xadd(key, 'MAXLEN', '~', maxLen, `${event.sequence}-0`, 'event', event.json);
    }
    const results = (await pipeline.exec()) ?? [];
    if (results.length !== batch.length) throw new Error('Redis answered part of the batch');
    const refused: string[] = [];
    for (const [i, [error]] of results.entries()) {
      if (!error) continue;
      if (!ALREADY_THERE.test(error.message)) throw error;
      refused.push(`${batch[i].sequence}-0`);
    }
    if (refused.length) await this.checkRefused(redis, key, refused);
  }

  /**
   * Refused ids are normally entries a previous run added. If one is missing although the
   * stream still reaches back that far, the stream is ahead of the outbox (e.g. the database
   * was recreated but Redis kept the old stream): say so, loudly, once.
   */
  private async checkRefused(redis: Redis, key: string, ids: string[]): Promise<void> {
    if (this.warnedAhead) return;
    const first = await redis.xrange(key, '-', '+', 'COUNT', 1);
    const firstId = first[0]?.[0];
    for (const id of ids) {
      if (!firstId || compareIds(id, firstId) < 0) continue;
      const found = await redis.xrange(key, id, id);
      if (found.length) continue;
      this.warnedAhead = true;
      this.logger.error(
        { streamKey: key, entryId: id },
        'The Redis Stream is ahead of the outbox (was the database recreated?): new events ' +
          'are refused by the stream until it is deleted or the sequence passes its top',
      );
      return;
    }
  }
}

function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}
