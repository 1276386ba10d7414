import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { CommentStateService } from '../comments/state/comment-state.service.js';
import { COMMENT_STATUSES, type CommentStatus } from '../comments/model/comment-status.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { SubscriptionsService } from '../notifications/subscriptions.service.js';
import { REDIS } from '../redis/redis.module.js';
import { RedisKeys } from '../redis/redis-keys.js';
import { PrivacyRepository } from './privacy.repository.js';

export interface ExportedComment {
  id: string;
  siteId: string;
  articleId: string;
  parentId: string | null;
  status: CommentStatus;
  name: string | null;
  website: string | null;
  /** The public tag shown with the comment (keyed per site). */
  avatar: string | null;
  body: string;
  bodyHtml: string;
  createdAt: string;
  publishedAt: string | null;
  /** Why the rules decided as they did. */
  moderationReasons: Array<{ code: string; message?: string }>;
  /** Every decision about the comment, with the moderator's own reason. */
  decisions: Array<{
    action: string;
    from: string | null;
    to: string;
    reason: string | null;
    reasons: Array<{ code: string; message?: string }>;
    at: string;
  }>;
}

export interface ExportedBan {
  id: string;
  siteId: string | null;
  /** Masked: bans hold keyed hashes, never the address. */
  email: string | null;
  reason: string;
  expiresAt: string | null;
  createdAt: string;
}

const NOT_DELETED = COMMENT_STATUSES.filter((s) => s !== 'deleted');

/** Data subject requests by email: export everything, or erase it. Both audited. */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly repo: PrivacyRepository,
    private readonly state: CommentStateService,
    private readonly crypto: CryptoService,
    private readonly audit: AuditService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async export(
    principal: Principal,
    email: string,
  ): Promise<{
    email: string;
    comments: ExportedComment[];
    bans: ExportedBan[];
    subscriptions: Awaited<ReturnType<SubscriptionsService['exportAddress']>>;
  }> {
    const indexes = this.crypto.emailIndexes(email);
    const rows = await this.repo.findComments(indexes);
    const [decisions, bans, subscriptions] = await Promise.all([
      this.repo.findDecisions(rows.map((r) => r.id)),
      this.repo.findEmailBans(indexes),
      this.subscriptions.exportAddress(indexes),
    ]);
    await this.audit.record({
      actor: principal.actor,
      action: 'privacy.export',
      targetType: 'privacy',
      details: { comments: rows.length },
    });
    return {
      email: email.trim().toLowerCase(),
      subscriptions,
      comments: rows.map((r) => ({
        id: r.id,
        siteId: r.siteId,
        articleId: r.articleId,
        parentId: r.parentId,
        status: r.status,
        name: r.authorName,
        website: r.authorWebsite,
        avatar: r.authorAvatar,
        body: r.body,
        bodyHtml: r.bodyHtml,
        createdAt: r.createdAt.toISOString(),
        publishedAt: r.publishedAt?.toISOString() ?? null,
        moderationReasons: r.moderationReasons,
        decisions: decisions
          .filter((d) => d.commentId === r.id)
          .map((d) => ({
            action: d.action,
            from: d.fromStatus,
            to: d.toStatus,
            reason: d.reason,
            reasons: d.reasons,
            at: d.createdAt.toISOString(),
          })),
      })),
      bans: bans.map((b) => ({
        id: b.id,
        siteId: b.siteId,
        email: b.emailMasked,
        reason: b.reason,
        expiresAt: b.expiresAt?.toISOString() ?? null,
        createdAt: b.createdAt.toISOString(),
      })),
    };
  }

  /**
   * Every comment of the address is deleted (a `comment.deleted` event tells consumers to
   * forget it; the thread keeps a tombstone where replies hang off it), then its name, email,
   * website, address and body are removed for good, from the comments and from the stored
   * events. Running it again finishes an interrupted erase.
   */
  async erase(principal: Principal, email: string): Promise<{ erased: number }> {
    const indexes = this.crypto.emailIndexes(email);
    const rows = await this.repo.findComments(indexes);
    for (const row of rows) {
      await this.state.transition({
        commentId: row.id,
        from: NOT_DELETED,
        to: 'deleted',
        actor: principal.actor,
        action: 'erase',
        reasons: [{ code: 'privacy-erase', message: 'Erased at the author’s request' }],
      });
    }
    const ids = rows.map((r) => r.id);
    await this.repo.scrub(ids);
    // The stream's copies of those events (entry id = `<position>-0`) go too.
    const positions = await this.repo.findEventPositions(ids);
    for (let i = 0; i < positions.length; i += 500) {
      await this.redis.xdel(this.keys.events, ...positions.slice(i, i + 500).map((p) => `${p}-0`));
    }
    const bansRemoved = await this.repo.deleteEmailBans(indexes);
    const flagContactsRemoved = await this.repo.forgetFlagContacts(indexes);
    // Reply-mail subscriptions and their proof of consent go with the rest.
    const subscriptionsRemoved = await this.subscriptions.eraseAddress(indexes);
    await this.audit.record({
      actor: principal.actor,
      action: 'privacy.erase',
      targetType: 'privacy',
      details: { erased: ids.length, bansRemoved, flagContactsRemoved, subscriptionsRemoved },
    });
    return { erased: ids.length };
  }
}
