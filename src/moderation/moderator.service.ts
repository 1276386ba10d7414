import { Injectable } from '@nestjs/common';
import { canAccessSite, type Principal } from '../auth/principal.js';
import { CommentStateService } from '../comments/state/comment-state.service.js';
import type { CommentStatus } from '../comments/model/comment-status.js';
import type { Reason } from '../comments/model/comment.entity.js';
import type { PublicComment } from '../comments/views/comment-views.js';
import { FeaturedCommentsService } from '../comments/state/featured-comments.service.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import {
  CommentNotFoundError,
  ForbiddenError,
  IllegalTransitionError,
  ValidationFailedError,
} from '../common/errors/domain.errors.js';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor.js';
import { SitesService } from '../sites/sites.service.js';
import { SpamModelService } from '../spam/spam-model.service.js';
import { CommentTrustRepository } from '../comments/trust/comment-trust.repository.js';
import type { FlagSummary } from '../trust/flags.repository.js';
import { FlagsService } from '../trust/flags.service.js';
import { ToxicityModelService } from '../toxicity/toxicity-model.service.js';
import type { CountsQueryDto } from './dto/counts-query.dto.js';
import type { DecisionAction } from './dto/decision.dto.js';
import type { QueueQueryDto } from './dto/queue-query.dto.js';
import {
  ModerationRepository,
  type ActionRow,
  type AuthorHistoryRow,
  type CountedStatus,
  type ModerationRow,
} from './moderation.repository.js';

export interface ModerationItem extends PublicComment {
  siteId: string;
  articleId: string;
  status: CommentStatus;
  email: string | null;
  body: string;
  spamScore: number | null;
  reasons: Reason[];
  /**
   * The author's comments on this site (this one included), by email blind index; null when
   * the comment has no email any more (erased).
   */
  authorHistory: AuthorHistory | null;
  /** Open reader flags (trust and safety). */
  flags: FlagSummary;
  /** Featured by a moderator: the public thread marks it and lists it under `?featured=true`. */
  featured: boolean;
  /** The publisher's login vouched for the author (SSO), or null. */
  identity: { sub: string; verified: true } | null;
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

export type BulkResult = { id: string; status: CommentStatus } | { id: string; error: string };

const STATUS_FOR: Record<Exclude<DecisionAction, 'dismiss'>, CommentStatus> = {
  approve: 'approved',
  reject: 'rejected',
  spam: 'spam',
};

/** What a decision does to the comment's open reader flags. */
const FLAG_OUTCOME: Record<Exclude<DecisionAction, 'dismiss'>, 'dismissed' | 'actioned'> = {
  approve: 'dismissed',
  reject: 'actioned',
  spam: 'actioned',
};

/** The statement-of-reasons code a decision takes when the moderator gives none. */
const DEFAULT_REASON_CODE: Partial<Record<DecisionAction, string>> = {
  reject: 'other',
  spam: 'spam',
};

/**
 * Legal moderator moves (API.md): anything else is a 409. `spam` on a spam comment is a
 * moderator confirming the filter: a same-status compare-and-set, so it is audited in the
 * comment's history, emits `comment.spam` (previousStatus `spam`) and teaches the classifier
 * spam like any other `spam` decision, while the thread and the article's count stay as they are.
 */
export const LEGAL_MOVES: Record<CommentStatus, readonly CommentStatus[]> = {
  pending: [],
  held: ['approved', 'rejected', 'spam'],
  spam: ['approved', 'rejected', 'spam'],
  approved: ['rejected', 'spam'],
  rejected: ['approved'],
  deleted: [],
};

/** The statuses from which a move to `to` is legal: the compare of the compare-and-set. */
function legalSources(to: CommentStatus): CommentStatus[] {
  return (Object.keys(LEGAL_MOVES) as CommentStatus[]).filter((s) => LEGAL_MOVES[s].includes(to));
}

@Injectable()
export class ModeratorService {
  constructor(
    private readonly repo: ModerationRepository,
    private readonly state: CommentStateService,
    private readonly crypto: CryptoService,
    private readonly spamModel: SpamModelService,
    private readonly sites: SitesService,
    private readonly flags: FlagsService,
    private readonly commentTrust: CommentTrustRepository,
    private readonly featuredComments: FeaturedCommentsService,
    private readonly toxicityModel: ToxicityModelService,
  ) {}

  /** Features (or unfeatures) an approved comment: audited, event `comment.featured`. */
  async feature(principal: Principal, id: string, featured: boolean): Promise<ModerationItem> {
    await this.accessibleRow(principal, id);
    await this.featuredComments.setFeatured(principal.actor, id, featured);
    const [item] = await this.toItems([await this.accessibleRow(principal, id)]);
    return item;
  }

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

  async decide(
    principal: Principal,
    id: string,
    action: DecisionAction,
    reason?: string,
    reasonCode?: string,
  ): Promise<ModerationItem> {
    const taught = { lessons: 0, toxicityLessons: 0 };
    try {
      const [item] = await this.toItems([
        await this.applyDecision(principal, id, action, reason, reasonCode, taught),
      ]);
      return item;
    } finally {
      // Make the lesson count at once in this process; other workers pick it up within 15 s.
      if (taught.lessons) await this.spamModel.refresh();
      if (taught.toxicityLessons) await this.toxicityModel.refresh();
    }
  }

  /** `dismiss`: the reader flags of a published comment were unfounded; audited, no event. */
  private async dismissFlags(
    principal: Principal,
    row: ModerationRow,
    reason?: string,
  ): Promise<ModerationRow> {
    if (row.status !== 'approved') throw new IllegalTransitionError(row.status, 'dismiss');
    await this.commentTrust.transaction(async (manager) => {
      const dismissed = await this.flags.resolve(manager, row.id, 'dismissed');
      if (dismissed === 0) return;
      await this.commentTrust.recordAction(manager, {
        commentId: row.id,
        actor: principal.actor,
        action: 'dismiss',
        reason: reason ?? null,
        reasons: [{ code: 'flags-dismissed', message: `${dismissed} reader flags dismissed` }],
      });
    });
    return (await this.repo.findItem(row.id)) ?? row;
  }

  /** The decision's statement-of-reasons code: one of the site's codes (400 otherwise). */
  private async reasonCodeFor(
    siteId: string,
    action: DecisionAction,
    given: string | undefined,
  ): Promise<string | null> {
    const code = given ?? DEFAULT_REASON_CODE[action] ?? null;
    if (code === null) return null;
    const { settings } = await this.sites.get(siteId);
    if (!(code in settings.moderation.reasons)) {
      throw new ValidationFailedError([
        {
          field: 'reasonCode',
          message: `reasonCode must be one of the site's codes: ${Object.keys(
            settings.moderation.reasons,
          ).join(', ')}`,
        },
      ]);
    }
    return action === 'approve' ? null : code;
  }

  /**
   * The decision itself; returns the comment as it now is. A lesson for the spam filter is
   * counted in `taught`: the caller rebuilds the classifier once, after all its decisions.
   */
  private async applyDecision(
    principal: Principal,
    id: string,
    action: DecisionAction,
    reason: string | undefined,
    givenReasonCode: string | undefined,
    taught: { lessons: number; toxicityLessons: number },
  ): Promise<ModerationRow> {
    const row = await this.accessibleRow(principal, id);
    if (action === 'dismiss') return this.dismissFlags(principal, row, reason);
    const reasonCode = await this.reasonCodeFor(row.siteId, action, givenReasonCode);
    const to = STATUS_FOR[action];
    if (!LEGAL_MOVES[row.status].includes(to)) throw new IllegalTransitionError(row.status, action);
    const lesson = lessonFor(action, row);
    const toxicityLesson = toxicityLessonFor(action, row);
    const result = await this.state.transition({
      commentId: id,
      from: legalSources(to),
      to,
      actor: principal.actor,
      action,
      reason: reason ?? null,
      reasonCode,
      reasons: [
        { code: `moderator-${action}`, message: reason || `A moderator chose "${action}"` },
      ],
      within: async (manager) => {
        if (lesson) await this.spamModel.record(manager, id, row.siteId, row.body, lesson);
        if (toxicityLesson) {
          await this.toxicityModel.record(manager, id, row.siteId, row.body, toxicityLesson);
        }
        // Reader flags are answered by the decision: approve dismisses them, the rest act.
        await this.flags.resolve(manager, id, FLAG_OUTCOME[action]);
      },
    });
    if (result && lesson) taught.lessons++;
    if (result && toxicityLesson) taught.toxicityLessons++;
    const current = await this.repo.findItem(id);
    if (!result || !current) {
      // Someone else moved it first, to a status from which this move is not legal.
      throw new IllegalTransitionError(current?.status ?? row.status, action);
    }
    return current;
  }

  async decideMany(
    principal: Principal,
    ids: string[],
    action: DecisionAction,
    reason?: string,
    reasonCode?: string,
  ): Promise<{ results: BulkResult[] }> {
    const results: BulkResult[] = [];
    const taught = { lessons: 0, toxicityLessons: 0 };
    try {
      for (const id of [...new Set(ids.map((i) => i.toLowerCase()))]) {
        try {
          const row = await this.applyDecision(principal, id, action, reason, reasonCode, taught);
          results.push({ id, status: row.status });
        } catch (error) {
          if (
            error instanceof CommentNotFoundError ||
            error instanceof ForbiddenError ||
            error instanceof IllegalTransitionError ||
            error instanceof ValidationFailedError
          ) {
            results.push({ id, error: error.message });
          } else {
            throw error;
          }
        }
      }
    } finally {
      // One rebuild of the classifier for the whole batch, not one per comment.
      if (taught.lessons) await this.spamModel.refresh();
      if (taught.toxicityLessons) await this.toxicityModel.refresh();
    }
    return { results };
  }

  /** Soft delete: the comment leaves the thread (a tombstone if it holds up replies). */
  async delete(principal: Principal, id: string, reason?: string): Promise<void> {
    const row = await this.accessibleRow(principal, id);
    if (row.status === 'deleted') return;
    const from = (Object.keys(LEGAL_MOVES) as CommentStatus[]).filter((s) => s !== 'deleted');
    await this.state.transition({
      commentId: id,
      from,
      to: 'deleted',
      actor: principal.actor,
      action: 'delete',
      reason: reason ?? null,
      reasons: [{ code: 'moderator-delete', message: reason || 'A moderator deleted the comment' }],
      within: async (manager) => {
        await this.flags.resolve(manager, id, 'actioned');
      },
    });
  }

  /** A comment of another site reads as forbidden, one that does not exist as not found. */
  private async accessibleRow(principal: Principal, id: string): Promise<ModerationRow> {
    const row = await this.repo.findItem(id);
    if (!row) throw new CommentNotFoundError();
    if (!canAccessSite(principal, row.siteId)) {
      throw new ForbiddenError('This token may not moderate that site.');
    }
    return row;
  }

  /** Items with their authors' history, looked up in one query for the whole page. */
  private async toItems(rows: ModerationRow[]): Promise<ModerationItem[]> {
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
    return {
      id: row.id,
      parentId: row.parentId,
      depth: row.depth,
      author:
        row.authorName === null
          ? null
          : { name: row.authorName, website: row.authorWebsite, avatar: row.authorAvatar },
      bodyHtml: row.bodyHtml,
      createdAt: row.createdAt.toISOString(),
      publishedAt: row.publishedAt?.toISOString() ?? null,
      ...(row.status === 'deleted' ? { deleted: true as const } : {}),
      siteId: row.siteId,
      articleId: row.articleId,
      status: row.status,
      email:
        row.emailCiphertext && row.emailKeyId
          ? this.crypto.decryptEmail(row.emailCiphertext, row.emailKeyId)
          : null,
      body: row.body,
      spamScore: row.spamScore,
      reasons: [...row.spamReasons, ...row.moderationReasons],
      authorHistory,
      flags,
      featured: row.featured ?? false,
      identity: row.identitySub ? { sub: row.identitySub, verified: true } : null,
    };
  }
}

function historyKey(emailIndex: Buffer, siteId: string): string {
  return `${siteId}\u0000${emailIndex.toString('base64')}`;
}

/**
 * What a decision teaches the spam filter: `spam` always; `approve` when the filter had
 * called the comment spam (or was unsure: at or above the calibrated 0.5).
 */
export function lessonFor(
  action: DecisionAction,
  row: Pick<ModerationRow, 'status' | 'spamScore'>,
): 'spam' | 'ham' | null {
  if (action === 'spam') return 'spam';
  if (action === 'approve' && (row.status === 'spam' || (row.spamScore ?? 0) >= 0.5)) return 'ham';
  return null;
}

/**
 * What a decision on a comment held for toxicity teaches the toxicity model: `approve` that it
 * was clean, `reject` that it was abusive. (`spam` teaches the spam filter only.)
 */
export function toxicityLessonFor(
  action: DecisionAction,
  row: Pick<ModerationRow, 'moderationReasons'>,
): 'toxic' | 'clean' | null {
  if (!(row.moderationReasons ?? []).some((r) => r.code === 'toxicity')) return null;
  if (action === 'approve') return 'clean';
  if (action === 'reject') return 'toxic';
  return null;
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
