import { Injectable } from '@nestjs/common';
import { WorkerComments } from '../comments/pipeline/worker-comments.port.js';
import {
  CommentStateService,
  type TransitionInput,
} from '../comments/state/comment-state.service.js';
import type { CommentRow } from '../comments/views/comment-views.js';
import { settleEach, type Settled } from '../common/batching/micro-batcher.js';
import { CommentPipelineQueue } from '../queue/comment-pipeline.queue.js';
import { SitesService } from '../sites/sites.service.js';
import { SpamFactsService } from './spam-facts.service.js';
import { SpamModelService } from './spam-model.service.js';
import { scoreSignals, type SpamVerdict } from './spam-signals.js';

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

  /** One comment: `processAll` with a batch of one (its error thrown). */
  async process(commentId: string, now = Date.now()): Promise<SpamOutcome> {
    const [outcome] = await this.processAll([commentId], now);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Scores pending comments: the trained text classifier (with moderators' feedback) and the
   * signals, combined into one score in [0, 1] with readable reasons. At or above the site's
   * spam threshold a comment becomes `spam`; otherwise the score is stored and the comment goes
   * on to moderation, which holds it when the score is in the doubtful band. Safe to run twice.
   *
   * A batch (the worker's jobs in flight) costs one read, one Redis round trip for the
   * counters, one statement for the scores, one for the spam verdicts (compare-and-set, audit
   * and outbox rows) and one enqueue, however many comments it has. Each comment answers with
   * its own outcome or error: one that fails (its site gone, its write refused) fails alone.
   */
  async processAll(commentIds: string[], now = Date.now()): Promise<Settled<SpamOutcome>[]> {
    const ids = [...new Set(commentIds)];
    const rows = await this.comments.findAllForProcessing(ids);
    const outcomes = new Map<string, Settled<SpamOutcome>>();
    const settle = (id: string, outcome: Settled<SpamOutcome>) => outcomes.set(id, outcome);

    const pending = rows.filter((c): c is CommentRow => c?.status === 'pending');
    for (const id of ids) settle(id, { ok: true, value: 'skipped' });
    const unscored = pending.filter((c) => c.spamScore === null);
    const forward = pending.filter((c) => c.spamScore !== null).map((c) => c.id);

    const counted = await this.facts.countAll(unscored, now);
    const verdicts = await settleEach(unscored, async (comment, i) => {
      const { settings } = await this.sites.get(comment.siteId);
      const verdict = scoreSignals(
        comment,
        {
          classifier: await this.model.score(comment.body, comment.siteId),
          ...counted[i],
          disposableEmail: comment.emailDisposable === true,
        },
        settings,
      );
      return { verdict, isSpam: verdict.score >= settings.spam.spamThreshold };
    });
    const spam: Array<{ id: string; verdict: SpamVerdict }> = [];
    const scores: Array<{ id: string; verdict: SpamVerdict }> = [];
    verdicts.forEach((outcome, i) => {
      const { id } = unscored[i];
      if (!outcome.ok) return settle(id, outcome);
      (outcome.value.isSpam ? spam : scores).push({ id, verdict: outcome.value.verdict });
    });

    const [decided, stored] = await Promise.all([
      this.state.transitionAll(
        spam.map(({ id, verdict }): TransitionInput => ({
          commentId: id,
          from: ['pending'],
          to: 'spam',
          actor: 'system:spam',
          action: 'spam',
          reasonCode: 'spam-filter',
          reasons: verdict.reasons,
          spam: verdict,
        })),
      ),
      this.comments.recordSpamScores(
        scores.map(({ id, verdict }) => ({ id, score: verdict.score, reasons: verdict.reasons })),
      ),
    ]);
    decided.forEach((outcome, i) =>
      settle(spam[i].id, outcome.ok ? { ok: true, value: 'spam' } : outcome),
    );
    stored.forEach((outcome, i) => {
      if (outcome.ok) forward.push(scores[i].id);
      else settle(scores[i].id, outcome);
    });

    const queued = await this.pipeline.enqueueAll('moderation', forward);
    forward.forEach((id, i) =>
      settle(
        id,
        queued[i]
          ? { ok: true, value: 'scored' }
          : // Let BullMQ retry this job; the stored score makes the retry skip straight here.
            { ok: false, error: new Error('Could not queue the comment for moderation') },
      ),
    );
    return commentIds.map((id) => outcomes.get(id)!);
  }
}
