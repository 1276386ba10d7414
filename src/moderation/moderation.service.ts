import { Injectable } from '@nestjs/common';
import { CommentStateService } from '../comments/comment-state.service.js';
import { CommentsService } from '../comments/comments.service.js';
import { CommentPipelineQueue } from '../queue/comment-pipeline.queue.js';
import { SubscriptionsService } from '../notifications/subscriptions.service.js';
import { SitesService } from '../sites/sites.service.js';
import { BansService } from './bans.service.js';
import { moderate } from './moderation.pipeline.js';
import type { ModerationStatus } from './phases/moderation-phase.js';

const ACTION_FOR: Record<ModerationStatus, string> = {
  approved: 'approve',
  held: 'hold',
  rejected: 'reject',
  spam: 'spam',
};

/** The moderation worker: applies the site's rules to a scored, pending comment. */
@Injectable()
export class ModerationService {
  constructor(
    private readonly comments: CommentsService,
    private readonly state: CommentStateService,
    private readonly sites: SitesService,
    private readonly pipeline: CommentPipelineQueue,
    private readonly bans: BansService,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async process(commentId: string, now = new Date()): Promise<ModerationStatus | 'skipped'> {
    const comment = await this.comments.findForProcessing(commentId);
    if (!comment || comment.status !== 'pending') return 'skipped';
    if (comment.spamScore === null) {
      // Not scored yet (its spam job was lost): back to the spam stage first.
      await this.pipeline.enqueue('spam', commentId);
      return 'skipped';
    }
    const { settings } = await this.sites.get(comment.siteId);
    const trustedMode = settings.moderation.mode === 'trusted';
    const [trusted, ban, trustedIdentity, trustedConfirmedAddress] = await Promise.all([
      trustedMode && this.comments.authorHasApproved(comment),
      this.bans.findActive(comment.siteId, comment, now),
      trustedMode && this.comments.subjectHasApproved(comment),
      trustedMode && this.trustedByConfirmedAddress(comment),
    ]);
    const decision = moderate({
      comment: { ...comment, spamScore: comment.spamScore },
      author: { hasApprovedComment: trusted, ban, trustedIdentity, trustedConfirmedAddress },
      settings,
      now,
    });
    const result = await this.state.transition({
      commentId,
      from: ['pending'],
      to: decision.status,
      actor: 'system:moderation',
      action: ACTION_FOR[decision.status],
      reasons: decision.reasons,
      moderationReasons: decision.reasons,
    });
    return result ? decision.status : 'skipped';
  }

  /** An address confirmed by mail on the site, with an approved comment from it. */
  private async trustedByConfirmedAddress(
    comment: Parameters<CommentsService['authorHasApproved']>[0],
  ): Promise<boolean> {
    return (
      (await this.subscriptions.hasConfirmedAddress(comment.siteId, comment.emailIndex)) &&
      (await this.comments.authorHasApproved(comment))
    );
  }
}
