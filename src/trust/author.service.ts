import { Injectable } from '@nestjs/common';
import { CommentStateService } from '../comments/state/comment-state.service.js';
import {
  receiptStatus,
  type CommentStatus,
  type ReceiptStatus,
} from '../comments/model/comment-status.js';
import { renderCommentBody } from '../comments/model/comment-renderer.js';
import { CommentTrustRepository } from '../comments/trust/comment-trust.repository.js';
import { SubmitRateLimiter } from '../comments/intake/submit-rate-limiter.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { CommentNotFoundError, ValidationFailedError } from '../common/errors/domain.errors.js';
import { CommentPipelineQueue } from '../queue/comment-pipeline.queue.js';
import { SitesService } from '../sites/sites.service.js';
import type { AppealStatus } from './appeal.entity.js';
import { AppealsRepository } from './appeals.repository.js';
import { type Reader, readerKey } from '../comments/readers/reader-key.js';
import { statementOf, type DecisionStatement } from './statement-of-reasons.js';
import {
  AlreadyAppealedError,
  AppealWindowClosedError,
  EditWindowClosedError,
  NotAppealableError,
  NotEditableError,
} from './trust.errors.js';

/** What the author's browser learns about its own comment (`GET /v1/comments/{id}?receipt=`). */
export interface ReceiptView {
  id: string;
  status: ReceiptStatus;
  /** Until when the author may edit it (`editWindowMinutes` after posting). */
  editableUntil?: string;
  /** The statement of reasons, for a rejected (or deleted) comment. */
  decision?: DecisionStatement;
  /** For a rejected comment: until when it may be appealed, and the appeal's state. */
  appeal?: { until: string; status: AppealStatus | null } | null;
}

const DAY_MS = 24 * 3600 * 1000;
/** An author may edit a comment that readers see or that waits for a person. */
const EDITABLE: readonly CommentStatus[] = ['approved', 'held', 'spam'];

/**
 * Author self-service without an account: the receipt (a keyed hash of the comment id, given
 * once at submission) is the key to reading, editing, deleting and appealing one's comment. A
 * wrong receipt reads as "no such comment".
 */
@Injectable()
export class AuthorService {
  constructor(
    private readonly comments: CommentTrustRepository,
    private readonly state: CommentStateService,
    private readonly appeals: AppealsRepository,
    private readonly sites: SitesService,
    private readonly crypto: CryptoService,
    private readonly pipeline: CommentPipelineQueue,
    private readonly rateLimiter: SubmitRateLimiter,
  ) {}

  async receipt(id: string, receipt: string, now = new Date()): Promise<ReceiptView> {
    const comment = await this.ownComment(id, receipt);
    const { settings } = await this.sites.get(comment.siteId);
    const status = receiptStatus(comment.status);
    const view: ReceiptView = { id, status };
    const editableUntil = new Date(
      comment.createdAt.getTime() + settings.moderation.editWindowMinutes * 60_000,
    );
    if (EDITABLE.includes(comment.status) && editableUntil > now) {
      view.editableUntil = editableUntil.toISOString();
    }
    if (comment.status === 'rejected' || comment.status === 'deleted') {
      const decision = await this.comments.latestDecision(id);
      if (decision && decision.toStatus === comment.status) {
        view.decision = statementOf(decision, settings.moderation.reasons);
        if (comment.status === 'rejected') {
          const appeal = await this.appeals.findByDecision(decision.id);
          view.appeal = {
            until: new Date(
              decision.createdAt.getTime() + settings.moderation.appealDays * DAY_MS,
            ).toISOString(),
            status: appeal?.status ?? null,
          };
        } else {
          view.appeal = null;
        }
      }
    }
    return view;
  }

  /**
   * The author's edit, within `editWindowMinutes` of posting: the new text goes through spam and
   * moderation again (pending meanwhile, out of the public thread), `comment.edited` when it is
   * published again. Moderators see every version.
   */
  async edit(
    id: string,
    receipt: string,
    body: string,
    reader: Reader,
    now = new Date(),
  ): Promise<ReceiptView> {
    const comment = await this.ownComment(id, receipt);
    const { settings } = await this.sites.get(comment.siteId);
    if (body.length > settings.maxBodyLength) {
      throw new ValidationFailedError([
        { field: 'body', message: `body must be at most ${settings.maxBodyLength} characters` },
      ]);
    }
    const deadline = comment.createdAt.getTime() + settings.moderation.editWindowMinutes * 60_000;
    if (now.getTime() > deadline) {
      throw new EditWindowClosedError(settings.moderation.editWindowMinutes);
    }
    if (comment.status === 'pending') {
      throw new NotEditableError('The comment is still being checked; try again in a moment.');
    }
    if (!EDITABLE.includes(comment.status)) throw new NotEditableError();
    await this.rateLimiter.consume([
      {
        kind: 'edit',
        siteId: comment.siteId,
        subject: readerKey(this.crypto, reader),
        perMinute: settings.rateLimit.perIpPerMinute,
      },
    ]);
    if (body === comment.body) return this.receipt(id, receipt, now);
    const changed = await this.state.edit({
      commentId: id,
      from: EDITABLE,
      body,
      bodyHtml: renderCommentBody(body),
      actor: 'author',
    });
    if (!changed) throw new NotEditableError();
    await this.pipeline.resubmit(id);
    return this.receipt(id, receipt, now);
  }

  /** The author takes their comment back, at any time (a tombstone where replies hang off it). */
  async delete(id: string, receipt: string): Promise<void> {
    const comment = await this.ownComment(id, receipt);
    if (comment.status === 'deleted') return;
    await this.state.transition({
      commentId: id,
      from: ['pending', 'approved', 'held', 'rejected', 'spam'],
      to: 'deleted',
      actor: 'author',
      action: 'author-delete',
      reasons: [{ code: 'author-deleted', message: 'The author deleted the comment' }],
    });
  }

  /** Once per decision, within `appealDays` of it, for a rejected comment. */
  async appeal(
    id: string,
    receipt: string,
    message: string,
    now = new Date(),
  ): Promise<{ id: string }> {
    const comment = await this.ownComment(id, receipt);
    if (comment.status !== 'rejected') throw new NotAppealableError();
    const decision = await this.comments.latestDecision(id);
    if (!decision || decision.toStatus !== 'rejected') throw new NotAppealableError();
    if (await this.appeals.findByDecision(decision.id)) throw new AlreadyAppealedError();
    const { settings } = await this.sites.get(comment.siteId);
    if (now.getTime() > decision.createdAt.getTime() + settings.moderation.appealDays * DAY_MS) {
      throw new AppealWindowClosedError(settings.moderation.appealDays);
    }
    const appealId = await this.appeals.insert({
      commentId: id,
      siteId: comment.siteId,
      decisionId: decision.id,
      message,
    });
    if (!appealId) throw new AlreadyAppealedError();
    return { id: appealId };
  }

  private async ownComment(id: string, receipt: string) {
    if (!this.crypto.verifyReceipt(id, receipt)) throw new CommentNotFoundError();
    const comment = await this.comments.findForAuthor(id);
    if (!comment) throw new CommentNotFoundError();
    return comment;
  }
}
