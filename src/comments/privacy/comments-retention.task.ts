import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RetentionRegistry, type RetentionTask } from '../../retention/retention.registry.js';
import type { Site } from '../../sites/sites.service.js';
import { CommentTrustRepository } from '../trust/comment-trust.repository.js';

const DAY_MS = 24 * 3600 * 1000;
/** Idempotency records answer replays for 24 hours. */
const IDEMPOTENCY_MS = DAY_MS;

/**
 * The comments module's part of retention: client-address hashes after `retention.ipDays`,
 * rejected and spam comments after `retention.rejectedDays` (except those holding up replies),
 * idempotency keys after 24 hours.
 */
@Injectable()
export class CommentsRetentionTask implements RetentionTask, OnModuleInit {
  readonly name = 'comments';

  constructor(
    private readonly registry: RetentionRegistry,
    private readonly comments: CommentTrustRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async purge(sites: readonly Site[], now: Date): Promise<Record<string, number>> {
    let ipHashes = 0;
    let rejectedComments = 0;
    for (const site of sites) {
      const { ipDays, rejectedDays } = site.settings.retention;
      ipHashes += await this.comments.clearIpIndexes(
        site.id,
        new Date(now.getTime() - ipDays * DAY_MS),
      );
      rejectedComments += await this.comments.deleteRejected(
        site.id,
        new Date(now.getTime() - rejectedDays * DAY_MS),
      );
    }
    const idempotencyKeys = await this.comments.releaseIdempotencyKeys(
      new Date(now.getTime() - IDEMPOTENCY_MS),
    );
    return { ipHashes, rejectedComments, idempotencyKeys };
  }
}
