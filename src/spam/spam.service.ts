import { Injectable } from '@nestjs/common';
import { CommentStateService } from '../comments/state/comment-state.service.js';
import { WorkerComments } from '../comments/pipeline/worker-comments.port.js';
import { CommentPipelineQueue } from '../queue/comment-pipeline.queue.js';
import { SitesService } from '../sites/sites.service.js';
import { SpamFactsService } from './spam-facts.service.js';
import { SpamModelService } from './spam-model.service.js';
import { scoreSignals } from './spam-signals.js';

export type SpamOutcome = 'spam' | 'scored' | 'skipped';

@Injectable()
export class SpamService {
  constructor(
    private readonly comments: WorkerComments,
    private readonly state: CommentStateService,
    private readonly sites: SitesService,
    private readonly pipeline: CommentPipelineQueue,
    private readonly model: SpamModelService,
    private readonly facts: SpamFactsService,
  ) {}

  /**
   * Scores a pending comment: the trained text classifier (with moderators' feedback) and the
   * signals, combined into one score in [0, 1] with readable reasons. At or above the site's
   * spam threshold it becomes `spam`; otherwise the score is stored and the comment goes on to
   * moderation, which holds it when the score is in the doubtful band. Safe to run twice.
   */
  async process(commentId: string, now = Date.now()): Promise<SpamOutcome> {
    const comment = await this.comments.findForProcessing(commentId);
    if (!comment || comment.status !== 'pending') return 'skipped';
    if (comment.spamScore === null) {
      const { settings } = await this.sites.get(comment.siteId);
      const [classifier, counted] = await Promise.all([
        this.model.score(comment.body, comment.siteId),
        this.facts.count(comment, now),
      ]);
      const verdict = scoreSignals(
        comment,
        { classifier, ...counted, disposableEmail: comment.emailDisposable === true },
        settings,
      );
      if (verdict.score >= settings.spam.spamThreshold) {
        await this.state.transition({
          commentId,
          from: ['pending'],
          to: 'spam',
          actor: 'system:spam',
          action: 'spam',
          reasonCode: 'spam-filter',
          reasons: verdict.reasons,
          spam: verdict,
        });
        return 'spam';
      }
      await this.comments.recordSpamScore(commentId, verdict.score, verdict.reasons);
    }
    if (!(await this.pipeline.enqueue('moderation', commentId))) {
      // Let BullMQ retry this job; the stored score makes the retry skip straight here.
      throw new Error('Could not queue the comment for moderation');
    }
    return 'scored';
  }
}
