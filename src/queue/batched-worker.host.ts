import { WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { PinoLogger } from 'nestjs-pino';
import { SettledBatcher, type Settled } from '../common/batching/micro-batcher.js';
import type { AppConfig } from '../config/app.config.js';
import type { CommentJobData, QueueName } from './queue.constants.js';

/**
 * A pipeline processor (spam, moderation) that works a batch at a time: BullMQ has no batch
 * API, so the worker runs PIPELINE_CONCURRENCY jobs at once and each job hands its comment to a
 * `SettledBatcher`. The first job of a quiet worker goes at once; the jobs that arrive while a
 * batch is being worked go together in the next one (at most PIPELINE_CONCURRENCY), so a
 * backlog costs a few statements per batch instead of per comment, and a lone comment waits
 * for nothing. `processAll` answers each comment with its own outcome or error: a failing
 * comment fails only its own job, which BullMQ retries as usual.
 */
export abstract class BatchedWorkerHost<O> extends WorkerHost implements OnApplicationBootstrap {
  protected abstract readonly config: AppConfig;
  protected abstract readonly logger: PinoLogger;
  protected abstract readonly queue: QueueName;
  private batcher: SettledBatcher<string, O> | undefined;

  /** The comments of one batch, each answered with its own outcome, in order. */
  protected abstract processAll(commentIds: string[]): Promise<Settled<O>[]>;

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.pipelineConcurrency;
  }

  process(job: Job<CommentJobData>): Promise<O> {
    const { commentId } = job.data;
    this.batcher ??= new SettledBatcher(
      (ids: string[]) =>
        // The batch logs under its own context, not that of the job that happened to start it.
        this.logger.runInContext(() => this.processAll(ids), {
          bindings: { queue: this.queue, batch: ids.length },
        }),
      this.config.pipelineConcurrency,
    );
    const batcher = this.batcher;
    return this.logger.runInContext(
      async () => {
        const outcome = await batcher.submit(commentId);
        this.logger.debug({ outcome }, `${this.queue} job done`);
        return outcome;
      },
      { bindings: { queue: this.queue, jobId: job.id, commentId } },
    );
  }
}
