import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RetentionRegistry, type RetentionTask } from '../retention/retention.registry.js';
import type { Site } from '../sites/sites.service.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

/** Confirmation links work 7 days; an address that never confirmed is forgotten after 30. */
export const UNCONFIRMED_KEEP_MS = 30 * 24 * 3600 * 1000;

/**
 * The notifications module's part of retention: subscriptions that were never confirmed (a
 * keyed hash of an address that gave no consent) go after 30 days. Confirmed ones are the
 * proof of consent and stay until the address's data is erased.
 */
@Injectable()
export class SubscriptionsRetentionTask implements RetentionTask, OnModuleInit {
  readonly name = 'subscriptions';

  constructor(
    private readonly registry: RetentionRegistry,
    private readonly subscriptions: SubscriptionsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async purge(_sites: readonly Site[], now: Date): Promise<Record<string, number>> {
    const before = new Date(now.getTime() - UNCONFIRMED_KEEP_MS);
    return { unconfirmedSubscriptions: await this.subscriptions.deleteUnconfirmed(before) };
  }
}
