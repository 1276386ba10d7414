import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ConfiguredWorkerHost } from '../queue/configured-worker.host.js';
import { QUEUES, WORKER_OPTIONS, type CommentJobData } from '../queue/queue.constants.js';
import { SpamService, type SpamOutcome } from './spam.service.js';

@Processor(QUEUES.spam, WORKER_OPTIONS)
export class SpamProcessor extends ConfiguredWorkerHost {
  constructor(
    private readonly spam: SpamService,
    private readonly logger: PinoLogger,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
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
