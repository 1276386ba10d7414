import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { EntityManager } from 'typeorm';
import {
  PrivacyRegistry,
  type DataSubject,
  type PrivacyParticipant,
} from '../privacy/privacy.registry.js';
import { REDIS } from '../redis/redis.module.js';
import { RedisKeys } from '../redis/redis-keys.js';
import { OutboxRepository } from './outbox/outbox.repository.js';

/**
 * The events' part of an erase: the stored events about the subject's comments lose author,
 * body and reasons' texts; afterwards the published stream's copies (entry id
 * `<position>-0`) are deleted (Redis transport; with PostgreSQL alone there is no stream).
 */
@Injectable()
export class EventsPrivacyTask implements PrivacyParticipant, OnModuleInit {
  readonly name = 'events';

  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly outbox: OutboxRepository,
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly keys: RedisKeys,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async erase(subject: DataSubject, tx: EntityManager): Promise<Record<string, number>> {
    await this.outbox.eraseCommentEvents(tx, subject.commentIds);
    return {};
  }

  async afterErase(subject: DataSubject): Promise<void> {
    // With PostgreSQL alone there is no Redis Stream to clean.
    const redis = this.redis;
    if (!redis) return;
    const positions = await this.outbox.findCommentEventPositions(subject.commentIds);
    for (let i = 0; i < positions.length; i += 500) {
      await redis.xdel(this.keys.events, ...positions.slice(i, i + 500).map((p) => `${p}-0`));
    }
  }
}
