import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CommentEventType } from '../../events/cloud-event.js';
import { OutboxWaker } from '../../events/outbox-waker.js';
import { CommentPipelineQueue } from '../../queue/comment-pipeline.queue.js';
import type { CommentStatus } from '../model/comment-status.js';
import type { Reason } from '../model/comment.entity.js';
import { CommentTrustRepository } from '../trust/comment-trust.repository.js';
import { ThreadCache } from '../thread/thread.cache.js';
import type { CommentRow } from '../views/comment-views.js';
import { CommentStateRepository, type StatusChange } from './comment-state.repository.js';

export interface TransitionInput {
  commentId: string;
  /** The statuses the comment may be in for the change to apply (the compare). */
  from: readonly CommentStatus[];
  to: CommentStatus;
  /** Audit: who (`system:moderation`, `token:<id>`) and what (`approve`, `hold`, …). */
  actor: string;
  action: string;
  reason?: string | null;
  /** Statement of reasons: the site's code for this decision, stored in the audit row. */
  reasonCode?: string | null;
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
    private readonly comments: CommentStateRepository,
    private readonly waker: OutboxWaker,
    private readonly threadCache: ThreadCache,
    private readonly trust: CommentTrustRepository,
    private readonly pipeline: CommentPipelineQueue,
  ) {}

  /**
   * The author's edit: the only move back to `pending` (the new text goes through spam and
   * moderation again). A compare-and-set from `from`, with the old text kept, the audit row and
   * a `comment.submitted` event, in one statement; null when the comment was not in `from`.
   */
  async edit(input: {
    commentId: string;
    from: readonly CommentStatus[];
    body: string;
    bodyHtml: string;
    actor: string;
  }): Promise<{ previousStatus: CommentStatus } | null> {
    const changed = await this.trust.editBody({
      id: input.commentId,
      from: input.from,
      body: input.body,
      bodyHtml: input.bodyHtml,
      actor: input.actor,
      reasons: [{ code: 'edited', message: 'The author edited the comment' }],
      eventId: randomUUID(),
    });
    if (!changed) return null;
    this.waker.wake();
    if (changed.previousStatus === 'approved') {
      this.threadCache.invalidate(changed.siteId, changed.articleId).catch(() => undefined);
    }
    return { previousStatus: changed.previousStatus };
  }

  transition(input: TransitionInput): Promise<TransitionResult | null> {
    if (input.to === 'pending') throw new Error('Nothing moves a comment back to pending');
    const to = input.to;
    const change = (db: Pick<EntityManager, 'query'>) =>
      this.comments.changeStatus(db, {
        id: input.commentId,
        from: input.from,
        to,
        moderationReasons: input.moderationReasons,
        spam: input.spam,
        actor: input.actor,
        action: input.action,
        reason: input.reason ?? null,
        reasonCode: input.reasonCode ?? null,
        reasons: input.reasons,
        event: { eventId: randomUUID(), type: EVENT_FOR_STATUS[to] },
      });
    const toResult = (c: StatusChange | null): TransitionResult | null => {
      if (!c) return null;
      this.waker.wake(); // committed: its event can go out
      if (c.previousStatus === 'approved' || c.row.publishedAt !== null) {
        // What readers see of the thread changed (the relay invalidates too, in case we die).
        this.threadCache.invalidate(c.row.siteId, c.row.articleId).catch(() => undefined);
      }
      return { comment: c.row, previousStatus: c.previousStatus };
    };
    const within = input.within;
    if (!within) return this.comments.run(change).then(toResult);
    return this.comments
      .transaction(async (manager) => {
        const c = await change(manager);
        if (c) await within(manager, { comment: c.row, previousStatus: c.previousStatus });
        return c;
      })
      .then(toResult);
  }

  /**
   * Queues again every comment still pending after `olderThanMs` (its job was lost with Redis,
   * or a process died holding it). Scored comments go to moderation, others to spam. One
   * pending four times that long has a job that will not finish: it gets a second one.
   */
  async requeueStalePending(olderThanMs: number, now = new Date()): Promise<number> {
    const stale = await this.comments.findStalePending(new Date(now.getTime() - olderThanMs), 500);
    let queued = 0;
    for (const { id, scored, updatedAt } of stale) {
      const stuck = now.getTime() - updatedAt.getTime() > 4 * olderThanMs;
      if ((await this.pipeline.requeue(scored ? 'moderation' : 'spam', id, stuck)) === 'queued') {
        queued++;
      }
    }
    return queued;
  }
}
