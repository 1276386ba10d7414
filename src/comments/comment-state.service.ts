import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CommentEventType } from '../events/cloud-event.js';
import { OutboxRepository } from '../events/outbox.repository.js';
import type { CommentStatus } from './comment-status.js';
import type { Reason } from './comment.entity.js';
import { toEventComment, type CommentRow } from './comment.mapper.js';
import { CommentsRepository } from './comments.repository.js';

export interface TransitionInput {
  commentId: string;
  /** The statuses the comment may be in for the change to apply (the compare). */
  from: readonly CommentStatus[];
  to: CommentStatus;
  /** Audit: who (`system:moderation`, `token:<id>`) and what (`approve`, `hold`, …). */
  actor: string;
  action: string;
  reason?: string | null;
  /** Why: stored in the audit row and carried by the event. */
  reasons: Reason[];
  /** Store these as the comment's moderation reasons. */
  moderationReasons?: Reason[];
  /** Store the spam score with the change (spam worker's decisive verdict). */
  spam?: { score: number; reasons: Reason[] };
  /** More work that must commit or fail with the change (e.g. a lesson for the spam filter). */
  within?: (manager: EntityManager, change: TransitionResult) => Promise<void>;
}

export interface TransitionResult {
  comment: CommentRow;
  previousStatus: CommentStatus;
}

const EVENT_FOR_STATUS: Record<Exclude<CommentStatus, 'pending'>, CommentEventType> = {
  approved: 'comment.approved',
  held: 'comment.held',
  rejected: 'comment.rejected',
  spam: 'comment.spam',
  deleted: 'comment.deleted',
};

/**
 * The one way a comment's status changes: a compare-and-set, the article's count and thread
 * version, the audit row and the outbox event, all in one transaction. A second attempt (a job
 * run twice, a moderator racing a worker) finds the status moved on and changes nothing.
 */
@Injectable()
export class CommentStateService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  transition(input: TransitionInput): Promise<TransitionResult | null> {
    if (input.to === 'pending') throw new Error('Nothing moves a comment back to pending');
    const to = input.to;
    return this.comments.transaction(async (manager) => {
      const change = await this.comments.changeStatus(manager, {
        id: input.commentId,
        from: input.from,
        to,
        moderationReasons: input.moderationReasons,
        spam: input.spam,
      });
      if (!change) return null;
      const { row, previousStatus } = change;
      const approvedDelta = Number(to === 'approved') - Number(previousStatus === 'approved');
      const touchesThread =
        approvedDelta !== 0 || (row.publishedAt !== null && to !== previousStatus);
      if (touchesThread) {
        await this.comments.adjustArticle(manager, row.siteId, row.articleId, approvedDelta);
      }
      await this.comments.insertAction(manager, {
        commentId: row.id,
        siteId: row.siteId,
        actor: input.actor,
        action: input.action,
        fromStatus: previousStatus,
        toStatus: to,
        reason: input.reason ?? null,
        reasons: input.reasons,
      });
      const result = { comment: row, previousStatus };
      await input.within?.(manager, result);
      // Last: appending takes the outbox's sequence-order lock until commit.
      await this.outbox.append(manager, {
        type: EVENT_FOR_STATUS[to],
        siteId: row.siteId,
        subject: `comments/${row.id}`,
        data: { comment: toEventComment(row), previousStatus, reasons: input.reasons },
      });
      return result;
    });
  }
}
