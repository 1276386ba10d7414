import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { QUEUES, type CommentJobData } from '../queue/queue.constants.js';
import { SpamService, type SpamOutcome } from './spam.service.js';

@Processor(QUEUES.spam)
export class SpamProcessor extends WorkerHost {
  constructor(
    private readonly spam: SpamService,
    private readonly logger: PinoLogger,
  ) {
    super();
  }

  process(job: Job<CommentJobData>): Promise<SpamOutcome> {
    const { commentId } = job.data;
    return this.logger.runInContext(
      async () => {
        const outcome = await this.spam.process(commentId);
        this.logger.debug({ outcome }, 'spam job done');
        return outcome;
      },
      { bindings: { queue: QUEUES.spam, jobId: job.id, commentId } },
    );
  }
}
