import { Injectable } from '@nestjs/common';
import { CommentStateService } from '../comments/state/comment-state.service.js';
import { WorkerComments } from '../comments/pipeline/worker-comments.port.js';
import { CommentPipelineQueue } from '../queue/comment-pipeline.queue.js';
import { SitesService } from '../sites/sites.service.js';
import { ToxicityModelService } from '../toxicity/toxicity-model.service.js';
import { AuthorTrustService } from './author-trust.service.js';
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
    private readonly comments: WorkerComments,
    private readonly state: CommentStateService,
    private readonly sites: SitesService,
    private readonly pipeline: CommentPipelineQueue,
    private readonly bans: BansService,
    private readonly trust: AuthorTrustService,
    private readonly toxicity: ToxicityModelService,
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
    const [trustedBy, ban, toxicity] = await Promise.all([
      settings.moderation.mode === 'trusted' ? this.trust.trustedBy(comment) : null,
      this.bans.findActive(comment.siteId, comment, now),
      settings.moderation.holdToxicity ? this.toxicity.score(comment.body, comment.siteId) : null,
    ]);
    const decision = moderate({
      comment: { ...comment, spamScore: comment.spamScore, toxicity },
      author: { trustedBy, ban },
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
      // Statement of reasons: an automated decision carries its rule's own code.
      reasonCode:
        decision.status === 'rejected' || decision.status === 'spam'
          ? (decision.reasons[0]?.code ?? 'automated')
          : null,
    });
    return result ? decision.status : 'skipped';
  }
}
