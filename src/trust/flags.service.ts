import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CommentStateService } from '../comments/state/comment-state.service.js';
import { CommentTrustRepository } from '../comments/trust/comment-trust.repository.js';
import { readerKey, resolveReader } from '../comments/readers/reader-key.js';
import { SubmitRateLimiter } from '../comments/intake/submit-rate-limiter.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { CommentNotFoundError } from '../common/errors/domain.errors.js';
import { OutboxWaker } from '../events/outbox-waker.js';
import { SitesService } from '../sites/sites.service.js';
import type { FlagDto } from './dto/trust.dto.js';
import { FlagsRepository, type FlagSummary } from './flags.repository.js';

/** Reader flags (notice and action): reports, the threshold hold, and their resolution. */
@Injectable()
export class FlagsService {
  constructor(
    private readonly flags: FlagsRepository,
    private readonly comments: CommentTrustRepository,
    private readonly state: CommentStateService,
    private readonly sites: SitesService,
    private readonly crypto: CryptoService,
    private readonly rateLimiter: SubmitRateLimiter,
    private readonly waker: OutboxWaker,
  ) {}

  /**
   * A reader reports a published comment. One flag per reader and comment: a repeat answers the
   * first flag's id and counts once. Each new flag emits `comment.flagged` (the open flags'
   * counts, nothing about the reader); at the site's `flagThreshold` distinct flags the comment
   * is held for a moderator (`comment.held`, reason `flags`).
   */
  async flag(commentId: string, dto: FlagDto, ip: string | null): Promise<{ id: string }> {
    const comment = await this.comments.findForAuthor(commentId);
    if (!comment || comment.status !== 'approved') throw new CommentNotFoundError();
    const { settings } = await this.sites.get(comment.siteId);
    // With the publisher's identity the reader is its `sub`; else the client address.
    const reader = await resolveReader(settings.identity, dto.identity, ip);
    const key = readerKey(this.crypto, reader);
    await this.rateLimiter.consume([
      {
        kind: 'flag',
        siteId: comment.siteId,
        subject: key,
        perMinute: settings.rateLimit.perIpPerMinute,
      },
    ]);
    const email = dto.email ? this.crypto.encryptEmail(dto.email) : null;
    const { id, created, summary } = await this.flags.transaction(async (manager) => {
      const flag = await this.flags.insert(manager, {
        commentId,
        siteId: comment.siteId,
        readerKey: key,
        reason: dto.reason,
        detail: dto.detail || null,
        emailCiphertext: email?.ciphertext ?? null,
        emailKeyId: email?.keyId ?? null,
        emailIndex: dto.email ? this.crypto.emailIndex(dto.email) : null,
      });
      if (!flag.created) return { ...flag, summary: null };
      const open = (await this.flags.summaries([commentId], manager)).get(commentId) ?? {
        count: 0,
        reasons: {},
      };
      await this.comments.appendCommentEvent(manager, {
        commentId,
        type: 'comment.flagged',
        eventId: randomUUID(),
        extra: { flags: open },
      });
      return { ...flag, summary: open };
    });
    if (created) this.waker.wake();
    if (summary && summary.count >= settings.moderation.flagThreshold) {
      // A compare-and-set: of several flags crossing the threshold at once, one holds it.
      await this.state.transition({
        commentId,
        from: ['approved'],
        to: 'held',
        actor: 'system:flags',
        action: 'hold',
        reasons: [{ code: 'flags', message: describe(summary) }],
        moderationReasons: [{ code: 'flags', message: describe(summary) }],
      });
    }
    return { id };
  }

  /** Open flags of each comment (moderator items). */
  summaries(commentIds: string[]): Promise<Map<string, FlagSummary>> {
    return this.flags.summaries(commentIds);
  }

  /** Closes a comment's open flags in the caller's transaction; how many were open. */
  resolve(
    manager: EntityManager,
    commentId: string,
    outcome: 'dismissed' | 'actioned',
  ): Promise<number> {
    return this.flags.resolveOpen(manager, commentId, outcome);
  }
}

function describe(summary: FlagSummary): string {
  const reasons = Object.entries(summary.reasons)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  return `Reported by ${summary.count} readers (${reasons})`;
}
