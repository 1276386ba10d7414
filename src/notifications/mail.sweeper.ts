import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PeriodicTasks } from '../common/schedule/periodic-tasks.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailJobsRepository } from './mail-jobs.repository.js';
import { MailQueue } from './mail.queue.js';

const SWEEP_BATCH = 200;

/**
 * Every SWEEP_INTERVAL_MS (worker role), queues again the mail jobs `mail_jobs` still has
 * unfinished after PENDING_SWEEP_AFTER_S whose job is gone from Redis (lost with its data, or
 * left completed by a process that died before finishing the record). A job still waiting,
 * delayed (a reply window, a backoff) or running is left alone.
 */
@Injectable()
export class MailSweeper implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: MailJobsRepository,
    private readonly queue: MailQueue,
    private readonly tasks: PeriodicTasks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(MailSweeper.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.tasks.every('mail-sweep', this.config.sweepIntervalMs, () => this.sweep());
  }

  async sweep(now = new Date()): Promise<number> {
    try {
      const before = new Date(now.getTime() - this.config.pendingSweepAfterMs);
      let queued = 0;
      for (const job of await this.jobs.findUnfinished(before, SWEEP_BATCH)) {
        if ((await this.queue.requeue(job)) === 'queued') queued++;
      }
      if (queued) this.logger.info({ queued }, 'Re-queued lost mail jobs');
      return queued;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Mail sweep failed; will retry');
      return 0;
    }
  }
}
