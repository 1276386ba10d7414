import { Injectable } from '@nestjs/common';
import { CommentStateService } from '../comments/state/comment-state.service.js';
import { WorkerComments } from '../comments/pipeline/worker-comments.port.js';
import type { CommentRow } from '../comments/views/comment-views.js';
import { settleEach, type Settled } from '../common/batching/micro-batcher.js';
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

/** The moderation worker: applies the site's rules to scored, pending comments. */
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

  /** One comment: `processAll` with a batch of one (its error thrown). */
  async process(commentId: string, now = new Date()): Promise<ModerationStatus | 'skipped'> {
    const [outcome] = await this.processAll([commentId], now);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Decides pending, scored comments (the worker's jobs in flight): the author facts of the
   * whole batch are read together (one query for bans, at most four for trusted mode), the
   * pure phases run per comment in memory, and every decision is made in one statement (each
   * its own compare-and-set with audit and outbox rows). Each comment answers with its own
   * outcome or error. Safe to run twice: a comment that moved on is `skipped`.
   */
  async processAll(
    commentIds: string[],
    now = new Date(),
  ): Promise<Settled<ModerationStatus | 'skipped'>[]> {
    const ids = [...new Set(commentIds)];
    const outcomes = new Map<string, Settled<ModerationStatus | 'skipped'>>(
      ids.map((id) => [id, { ok: true, value: 'skipped' }]),
    );
    const rows = await this.comments.findAllForProcessing(ids);
    const pending = rows.filter((c): c is CommentRow => c?.status === 'pending');
    // Not scored yet (its spam job was lost): back to the spam stage first.
    const unscored = pending.filter((c) => c.spamScore === null);
    const scored = pending.filter(
      (c): c is CommentRow & { spamScore: number } => c.spamScore !== null,
    );

    const sites = await settleEach(scored, (c) => this.sites.get(c.siteId));
    const ready = scored.flatMap((comment, i) => {
      const site = sites[i];
      if (!site.ok) outcomes.set(comment.id, site);
      return site.ok ? [{ comment, settings: site.value.settings }] : [];
    });
    const inTrustedMode = ready.filter((r) => r.settings.moderation.mode === 'trusted');
    const [trust, bans] = await Promise.all([
      this.trust.trustedByAll(inTrustedMode.map((r) => r.comment)),
      this.bans.findActiveAll(
        ready.map((r) => r.comment),
        now,
      ),
      this.pipeline.enqueueAll(
        'spam',
        unscored.map((c) => c.id),
      ),
    ]);
    const trustedBy = new Map(inTrustedMode.map((r, i) => [r.comment.id, trust[i]]));

    const decisions = await settleEach(ready, async ({ comment, settings }, i) => {
      const toxicity = settings.moderation.holdToxicity
        ? await this.toxicity.score(comment.body, comment.siteId)
        : null;
      return moderate({
        comment: { ...comment, spamScore: comment.spamScore, toxicity },
        author: { trustedBy: trustedBy.get(comment.id) ?? null, ban: bans[i] },
        settings,
        now,
      });
    });
    const decided = ready.flatMap(({ comment }, i) => {
      const decision = decisions[i];
      if (!decision.ok) outcomes.set(comment.id, decision);
      return decision.ok ? [{ id: comment.id, decision: decision.value }] : [];
    });
    const changes = await this.state.transitionAll(
      decided.map(({ id, decision }) => ({
        commentId: id,
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
      })),
    );
    decided.forEach(({ id, decision }, i) => {
      const change = changes[i];
      outcomes.set(
        id,
        change.ok ? { ok: true, value: change.value ? decision.status : 'skipped' } : change,
      );
    });
    return commentIds.map((id) => outcomes.get(id)!);
  }
}
