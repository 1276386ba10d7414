import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RetentionRegistry, type RetentionTask } from '../retention/retention.registry.js';
import type { Site } from '../sites/sites.service.js';
import { MailJobsRepository } from './mail-jobs.repository.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

/** Confirmation links work 7 days; an address that never confirmed is forgotten after 30. */
export const UNCONFIRMED_KEEP_MS = 30 * 24 * 3600 * 1000;
/** The record of a finished mail job (ids only) is kept a week, for inspection. */
export const FINISHED_MAIL_JOB_KEEP_MS = 7 * 24 * 3600 * 1000;

/**
 * The notifications module's part of retention: subscriptions that were never confirmed (a
 * keyed hash of an address that gave no consent) go after 30 days. Confirmed ones are the
 * proof of consent and stay until the address's data is erased. Records of finished mail jobs
 * go after a week.
 */
@Injectable()
export class SubscriptionsRetentionTask implements RetentionTask, OnModuleInit {
  readonly name = 'subscriptions';

  constructor(
    private readonly registry: RetentionRegistry,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly mailJobs: MailJobsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async purge(_sites: readonly Site[], now: Date): Promise<Record<string, number>> {
    const before = new Date(now.getTime() - UNCONFIRMED_KEEP_MS);
    const finishedBefore = new Date(now.getTime() - FINISHED_MAIL_JOB_KEEP_MS);
    return {
      unconfirmedSubscriptions: await this.subscriptions.deleteUnconfirmed(before),
      finishedMailJobs: await this.mailJobs.deleteFinishedBefore(finishedBefore),
    };
  }
}
