import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisKeys } from '../redis/redis-keys.js';
import { REDIS } from '../redis/redis.module.js';
import { liveChannel } from './live-events.hub.js';
import { RelayTargetRegistry, type RelayTarget, type RelayedEvent } from './relay-target.js';

/**
 * Relay target: publishes comment events on one Redis pub/sub channel, which every api
 * process's LiveEventsHub subscribes to and fans out to its SSE streams (readers' streams take
 * the approvals, moderators' streams everything). Pub/sub is at most once; streams that may
 * have missed something are ended and resume from PostgreSQL. Events carry no email.
 */
@Injectable()
export class LiveEventsPublisher implements RelayTarget {
  readonly name = 'live-sse';
  readonly order = 30;
  private readonly channel: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    keys: RedisKeys,
    registry: RelayTargetRegistry,
  ) {
    this.channel = liveChannel(keys);
    registry.register(this);
  }

  async relay(batch: readonly RelayedEvent[]): Promise<void> {
    if (!batch.length) return;
    const pipeline = this.redis.pipeline();
    for (const event of batch) pipeline.publish(this.channel, event.json);
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }
}
