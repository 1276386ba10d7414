import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { withTimeout } from '../common/async/with-timeout.js';
import { MicroBatcher } from '../common/batching/micro-batcher.js';
import { QUEUES, type CommentJobData } from './queue.constants.js';
import { requeueById, type RequeueResult } from './requeue.js';

export type PipelineStage = 'spam' | 'moderation';

/** How long an enqueue may take before we give up and leave the comment to the sweeper. */
const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * Puts comments on the spam and moderation queues. The job id is the comment id, so the same
 * comment is never waiting twice in a queue; the database's compare-and-set, not the job id,
 * is what makes a second run harmless. Enqueues are batched (`MicroBatcher`): those arriving
 * while one `addBulk` is on its way go together in the next, one round trip for a burst.
 */
@Injectable()
export class CommentPipelineQueue {
  private readonly queues: Record<PipelineStage, Queue<CommentJobData>>;
  private readonly batchers: Record<PipelineStage, MicroBatcher<string, boolean>>;

  constructor(
    @InjectPinoLogger(CommentPipelineQueue.name) private readonly logger: PinoLogger,
    @InjectQueue(QUEUES.spam) spam: Queue<CommentJobData>,
    @InjectQueue(QUEUES.moderation) moderation: Queue<CommentJobData>,
  ) {
    this.queues = { spam, moderation };
    this.batchers = {
      spam: new MicroBatcher((ids) => this.addAll('spam', ids)),
      moderation: new MicroBatcher((ids) => this.addAll('moderation', ids)),
    };
  }

  /**
   * Adds the job; never throws. When Redis is unreachable the comment is still committed and
   * the sweeper queues it later, so the caller's answer does not depend on Redis.
   */
  enqueue(stage: PipelineStage, commentId: string): Promise<boolean> {
    return this.batchers[stage].submit(commentId);
  }

  /** Adds the jobs of many comments (a worker's batch) in one `addBulk`; never throws. */
  enqueueAll(stage: PipelineStage, commentIds: string[]): Promise<boolean[]> {
    return commentIds.length ? this.addAll(stage, commentIds) : Promise.resolve([]);
  }

  private async addAll(stage: PipelineStage, commentIds: string[]): Promise<boolean[]> {
    try {
      await withTimeout(
        this.queues[stage].addBulk(
          commentIds.map((commentId) => ({
            name: stage,
            data: { commentId },
            opts: { jobId: commentId },
          })),
        ),
        ENQUEUE_TIMEOUT_MS,
      );
      return commentIds.map(() => true);
    } catch (error) {
      this.logger.warn(
        { queue: stage, jobs: commentIds.length, err: (error as Error).message },
        'Could not enqueue; the sweeper will retry',
      );
      return commentIds.map(() => false);
    }
  }

  /**
   * An author edited a comment that already went through the pipeline: its finished jobs (kept
   * a while under the comment's id) are removed so the new text is scored and moderated again.
   * Never throws; if Redis fails, the sweeper queues the comment (it is pending again).
   */
  async resubmit(commentId: string): Promise<boolean> {
    try {
      await withTimeout(
        Promise.all([this.queues.spam.remove(commentId), this.queues.moderation.remove(commentId)]),
        ENQUEUE_TIMEOUT_MS,
      );
    } catch (error) {
      this.logger.debug({ commentId, err: (error as Error).message }, 'Resubmit');
    }
    return this.enqueue('spam', commentId);
  }

  /** For the sweeper: see `requeueById` (a `stuck` comment gets a second job). */
  requeue(stage: PipelineStage, commentId: string, stuck = false): Promise<RequeueResult> {
    return requeueById(
      this.queues[stage],
      { id: commentId, name: stage, data: { commentId } },
      { stuck },
    );
  }
}
