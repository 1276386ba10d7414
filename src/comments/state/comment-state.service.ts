import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { batchOrEach, settleEach, type Settled } from '../../common/batching/micro-batcher.js';
import type { CommentEventType } from '../../events/cloud-event.js';
import { OutboxWaker } from '../../events/outbox/outbox-waker.js';
import { CommentPipelineQueue } from '../../queue/comment-pipeline.queue.js';
import type { CommentStatus } from '../model/comment-status.js';
import type { Reason } from '../model/comment.entity.js';
import { CommentTrustRepository } from '../trust/comment-trust.repository.js';
import { ThreadCache } from '../thread/thread.cache.js';
import type { CommentRow } from '../views/comment-views.js';
import {
  CommentStateRepository,
  type StatusChange,
  type StatusChangeInput,
} from './comment-state.repository.js';

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
    const change = this.toChange(input);
    const within = input.within;
    if (!within) {
      return this.comments
        .run((db) => this.comments.changeStatus(db, change))
        .then((c) => this.changed([c])[0]);
    }
    return this.comments
      .transaction(async (manager) => {
        const c = await this.comments.changeStatus(manager, change);
        if (c) await within(manager, { comment: c.row, previousStatus: c.previousStatus });
        return c;
      })
      .then((c) => this.changed([c])[0]);
  }

  /**
   * Many transitions (a worker's batch) as one statement, so one round trip and one
   * transaction: each is its own compare-and-set, answered in order with its own result (null:
   * the comment had moved on) or error. If the statement fails, each transition is tried on
   * its own, so that only the ones that cannot be made fail (and are retried by their jobs).
   */
  async transitionAll(
    inputs: Array<Omit<TransitionInput, 'within'>>,
  ): Promise<Settled<TransitionResult | null>[]> {
    const valid = await settleEach(inputs, (input) => Promise.resolve(this.toChange(input)));
    const changes = valid.flatMap((v) => (v.ok ? [v.value] : []));
    const made = await batchOrEach(
      changes,
      (all) => this.comments.run((db) => this.comments.changeStatuses(db, all)),
      (one) => this.comments.run((db) => this.comments.changeStatus(db, one)),
    );
    const results = this.changed(made.map((m) => (m.ok ? m.value : null)));
    let k = 0;
    return valid.map((v): Settled<TransitionResult | null> => {
      if (!v.ok) return v;
      const i = k++;
      return made[i].ok ? { ok: true, value: results[i] } : made[i];
    });
  }

  private toChange(input: Omit<TransitionInput, 'within'>): StatusChangeInput {
    if (input.to === 'pending') throw new Error('Nothing moves a comment back to pending');
    return {
      id: input.commentId,
      from: input.from,
      to: input.to,
      moderationReasons: input.moderationReasons,
      spam: input.spam,
      actor: input.actor,
      action: input.action,
      reason: input.reason ?? null,
      reasonCode: input.reasonCode ?? null,
      reasons: input.reasons,
      event: { eventId: randomUUID(), type: EVENT_FOR_STATUS[input.to] },
    };
  }

  /** After commit: wakes the relay once and refreshes the threads whose readers see a change. */
  private changed(changes: Array<StatusChange | null>): Array<TransitionResult | null> {
    if (changes.some((c) => c !== null)) this.waker.wake(); // committed: the events can go out
    return changes.map((c) => {
      if (!c) return null;
      if (c.previousStatus === 'approved' || c.row.publishedAt !== null) {
        // What readers see of the thread changed (the relay invalidates too, in case we die).
        this.threadCache.invalidate(c.row.siteId, c.row.articleId).catch(() => undefined);
      }
      return { comment: c.row, previousStatus: c.previousStatus };
    });
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
