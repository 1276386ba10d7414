import { Injectable } from '@nestjs/common';
import { canAccessSite, type Principal } from '../auth/principal.js';
import type { CommentStatus } from '../comments/model/comment-status.js';
import type { Reason } from '../comments/model/comment.entity.js';
import {
  ReviewComments,
  type ActionRow,
  type AuthorHistoryRow,
  type CountedStatus,
  type ModerationRow,
} from '../comments/review/review-comments.port.js';
import { CommentTrustRepository } from '../comments/trust/comment-trust.repository.js';
import {
  toModerationComment,
  type ModerationComment,
} from '../comments/views/comment-private-views.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { CommentNotFoundError, ForbiddenError } from '../common/errors/domain.errors.js';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor.js';
import type { FlagSummary } from '../trust/flags.repository.js';
import { FlagsService } from '../trust/flags.service.js';
import type { CountsQueryDto } from './dto/counts-query.dto.js';
import type { QueueQueryDto } from './dto/queue-query.dto.js';

export interface ModerationItem extends ModerationComment {
  /**
   * The author's comments on this site (this one included), by email blind index; null when
   * the comment has no email any more (erased).
   */
  authorHistory: AuthorHistory | null;
  /** Open reader flags (trust and safety). */
  flags: FlagSummary;
}

/** An earlier text of an edited comment. */
export interface CommentVersion {
  body: string;
  bodyHtml: string;
  replacedAt: string;
}

export interface AuthorHistory {
  approved: number;
  rejected: number;
  spam: number;
  total: number;
}

export interface HistoryEntry {
  actor: string;
  action: string;
  from: CommentStatus | null;
  to: CommentStatus;
  reason: string | null;
  reasons: Reason[];
  /** Statement of reasons: the decision's code, when it has one. */
  reasonCode: string | null;
  at: string;
}

/**
 * What moderators read: the queues, one comment with its history and earlier versions, counts
 * per status; each comment with its author's history and open reader flags, the address
 * decrypted for them. Decisions are `ModeratorService`'s.
 */
@Injectable()
export class ModeratorQueue {
  constructor(
    private readonly repo: ReviewComments,
    private readonly crypto: CryptoService,
    private readonly flags: FlagsService,
    private readonly commentTrust: CommentTrustRepository,
  ) {}

  async listQueue(
    principal: Principal,
    query: QueueQueryDto,
  ): Promise<{ items: ModerationItem[]; nextCursor: string | null }> {
    if (query.siteId && !canAccessSite(principal, query.siteId)) {
      throw new ForbiddenError('This token may not moderate that site.');
    }
    // Notice and action: in the held queue and the flagged listing, comments reported as
    // illegal come first.
    const prioritised = query.status === 'held' || query.flagged === true;
    // The order is part of the cursor's kind: a cursor of one order is refused by the other.
    const kind = `moderation:${query.status}${query.order === 'newest' ? ':newest' : ''}${
      query.flagged ? ':flagged' : ''
    }${prioritised ? ':p' : ''}`;
    const after = query.cursor
      ? decodeCursor<{ t: string; i: string; p?: number }>(
          kind,
          query.cursor,
          (v): v is { t: string; i: string; p?: number } =>
            typeof v.t === 'string' &&
            !Number.isNaN(Date.parse(v.t)) &&
            typeof v.i === 'string' &&
            /^[0-9a-f-]{36}$/.test(v.i) &&
            (v.p === undefined || v.p === 0 || v.p === 1),
        )
      : null;
    const rows = await this.repo.listQueue({
      siteIds: query.siteId ? [query.siteId] : principal.siteIds,
      status: query.status,
      articleId: query.articleId,
      after: after ? { createdAt: after.t, id: after.i, priority: after.p } : undefined,
      limit: query.limit + 1,
      order: query.order,
      flagged: query.flagged,
      prioritised,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: await this.toItems(page),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor(kind, {
              t: last.createdAt.toISOString(),
              i: last.id,
              ...(prioritised ? { p: last.priority ?? 0 } : {}),
            })
          : null,
    };
  }

  async getItem(
    principal: Principal,
    id: string,
  ): Promise<ModerationItem & { history: HistoryEntry[]; versions: CommentVersion[] }> {
    const row = await this.accessibleRow(principal, id);
    const [history, revisions] = await Promise.all([
      this.repo.findHistory(id),
      this.commentTrust.findRevisions(id),
    ]);
    const [item] = await this.toItems([row]);
    return {
      ...item,
      history: history.map(toHistory),
      // Earlier texts of an edited comment, oldest first (the current one is `body`).
      versions: revisions.map((r) => ({
        body: r.body,
        bodyHtml: r.bodyHtml,
        replacedAt: r.replacedAt.toISOString(),
      })),
    };
  }

  /** Items for the given comment ids (appeals carry their comment), by id. */
  async itemsFor(ids: string[]): Promise<Map<string, ModerationItem>> {
    const items = await this.toItems(await this.repo.findItems(ids));
    return new Map(items.map((item) => [item.id, item]));
  }

  /** How many comments wait in (or went to) each queue, on the sites the token may see. */
  async counts(
    principal: Principal,
    query: CountsQueryDto,
  ): Promise<{ counts: Record<CountedStatus, number> }> {
    if (query.siteId && !canAccessSite(principal, query.siteId)) {
      throw new ForbiddenError('This token may not moderate that site.');
    }
    const counts = await this.repo.countByStatus(query.siteId ? [query.siteId] : principal.siteIds);
    return { counts };
  }

  /** A comment of another site reads as forbidden, one that does not exist as not found. */
  async accessibleRow(principal: Principal, id: string): Promise<ModerationRow> {
    const row = await this.repo.findItem(id);
    if (!row) throw new CommentNotFoundError();
    if (!canAccessSite(principal, row.siteId)) {
      throw new ForbiddenError('This token may not moderate that site.');
    }
    return row;
  }

  /** Items with their authors' history, looked up in one query for the whole page. */
  async toItems(rows: ModerationRow[]): Promise<ModerationItem[]> {
    const keys = new Map<string, { emailIndex: Buffer; siteId: string }>();
    for (const row of rows) {
      if (row.emailIndex) {
        keys.set(historyKey(row.emailIndex, row.siteId), {
          emailIndex: row.emailIndex,
          siteId: row.siteId,
        });
      }
    }
    const histories = new Map<string, AuthorHistoryRow>();
    const [authorRows, flags] = await Promise.all([
      this.repo.authorHistories([...keys.values()]),
      this.flags.summaries(rows.map((r) => r.id)),
    ]);
    for (const h of authorRows) {
      histories.set(historyKey(h.emailIndex, h.siteId), h);
    }
    return rows.map((row) => {
      const h = row.emailIndex ? histories.get(historyKey(row.emailIndex, row.siteId)) : undefined;
      return this.toItem(
        row,
        h ? { approved: h.approved, rejected: h.rejected, spam: h.spam, total: h.total } : null,
        flags.get(row.id) ?? { count: 0, reasons: {} },
      );
    });
  }

  private toItem(
    row: ModerationRow,
    authorHistory: AuthorHistory | null,
    flags: FlagSummary,
  ): ModerationItem {
    const email =
      row.emailCiphertext && row.emailKeyId
        ? this.crypto.decryptEmail(row.emailCiphertext, row.emailKeyId)
        : null;
    return { ...toModerationComment(row, email), authorHistory, flags };
  }
}

function historyKey(emailIndex: Buffer, siteId: string): string {
  return `${siteId}\u0000${emailIndex.toString('base64')}`;
}

function toHistory(row: ActionRow): HistoryEntry {
  return {
    actor: row.actor,
    action: row.action,
    from: row.fromStatus,
    to: row.toStatus,
    reason: row.reason,
    reasons: row.reasons,
    reasonCode: row.reasonCode,
    at: row.createdAt.toISOString(),
  };
}
