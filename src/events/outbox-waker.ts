import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisKeys } from '../redis/redis-keys.js';
import { REDIS } from '../redis/redis.module.js';

/** Wake-ups closer together than this are one (a burst of commits wakes the relay once). */
const COALESCE_MS = 2;

export function outboxWakeChannel(keys: RedisKeys): string {
  return keys.key('outbox', 'wake');
}

/**
 * Tells the active relay that events were committed, so it relays them at once instead of at
 * its next poll. Through Redis pub/sub, after the commit: a NOTIFY in the transaction would
 * make PostgreSQL serialise every committing transaction on its notification queue (no more
 * group commit), which capped intake at one commit per disk flush. Best effort: the relay
 * still polls every EVENTS_RELAY_POLL_MS.
 */
@Injectable()
export class OutboxWaker implements OnApplicationShutdown {
  private readonly channel: string;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    keys: RedisKeys,
  ) {
    this.channel = outboxWakeChannel(keys);
  }

  wake(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.redis.publish(this.channel, '1').catch(() => undefined);
    }, COALESCE_MS);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }
}
