import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ConfiguredWorkerHost } from '../queue/configured-worker.host.js';
import { QUEUES, WORKER_OPTIONS, type CommentJobData } from '../queue/queue.constants.js';
import { ModerationService } from './moderation.service.js';

@Processor(QUEUES.moderation, WORKER_OPTIONS)
export class ModerationProcessor extends ConfiguredWorkerHost {
  constructor(
    private readonly moderation: ModerationService,
    private readonly logger: PinoLogger,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
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
