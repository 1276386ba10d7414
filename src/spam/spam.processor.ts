import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Settled } from '../common/batching/micro-batcher.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { BatchedWorkerHost } from '../queue/batched-worker.host.js';
import { QUEUES, WORKER_OPTIONS } from '../queue/queue.constants.js';
import { SpamService, type SpamOutcome } from './spam.service.js';

@Processor(QUEUES.spam, WORKER_OPTIONS)
export class SpamProcessor extends BatchedWorkerHost<SpamOutcome> {
  protected readonly queue = QUEUES.spam;

  constructor(
    private readonly spam: SpamService,
    protected readonly logger: PinoLogger,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
  ) {
    super();
  }

  protected processAll(commentIds: string[]): Promise<Settled<SpamOutcome>[]> {
    return this.spam.processAll(commentIds);
  }
}
