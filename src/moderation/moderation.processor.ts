import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Settled } from '../common/batching/micro-batcher.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { BatchedWorkerHost } from '../queue/batched-worker.host.js';
import { QUEUES, WORKER_OPTIONS } from '../queue/queue.constants.js';
import { ModerationService } from './moderation.service.js';
import type { ModerationStatus } from './phases/moderation-phase.js';

@Processor(QUEUES.moderation, WORKER_OPTIONS)
export class ModerationProcessor extends BatchedWorkerHost<ModerationStatus | 'skipped'> {
  protected readonly queue = QUEUES.moderation;

  constructor(
    private readonly moderation: ModerationService,
    protected readonly logger: PinoLogger,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
  ) {
    super();
  }

  protected processAll(commentIds: string[]): Promise<Settled<ModerationStatus | 'skipped'>[]> {
    return this.moderation.processAll(commentIds);
  }
}
