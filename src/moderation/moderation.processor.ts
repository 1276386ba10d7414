import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { QUEUES, type CommentJobData } from '../queue/queue.constants.js';
import { ModerationService } from './moderation.service.js';

@Processor(QUEUES.moderation)
export class ModerationProcessor extends WorkerHost {
  constructor(
    private readonly moderation: ModerationService,
    private readonly logger: PinoLogger,
  ) {
    super();
  }

  process(job: Job<CommentJobData>): Promise<string> {
    const { commentId } = job.data;
    return this.logger.runInContext(
      async () => {
        const outcome = await this.moderation.process(commentId);
        this.logger.debug({ outcome }, 'moderation job done');
        return outcome;
      },
      { bindings: { queue: QUEUES.moderation, jobId: job.id, commentId } },
    );
  }
}
