import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ConfiguredWorkerHost } from '../queue/configured-worker.host.js';
import { QUEUES, WORKER_OPTIONS, type MailJobData } from '../queue/queue.constants.js';
import { MailJobsRepository } from './mail-jobs.repository.js';
import { NotificationMailer, type MailOutcome } from './notification-mailer.service.js';

/**
 * The `mail` queue: one mail job at a time per call, rules in `NotificationMailer`. A job that
 * is done (sent, skipped, or given up after its last attempt) is finished in `mail_jobs`.
 */
@Processor(QUEUES.mail, WORKER_OPTIONS)
export class MailProcessor extends ConfiguredWorkerHost {
  constructor(
    private readonly mailer: NotificationMailer,
    private readonly jobs: MailJobsRepository,
    private readonly logger: PinoLogger,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
  ) {
    super();
  }

  process(job: Job<MailJobData>, token?: string): Promise<'sent' | 'skipped'> {
    const data = job.data;
    return this.logger.runInContext(
      async () => {
        const id = job.id ?? data.kind;
        let outcome: MailOutcome;
        try {
          outcome =
            data.kind === 'confirm'
              ? await this.mailer.sendConfirmation(data.commentId, id)
              : data.kind === 'reply'
                ? await this.mailer.notifyReply(data.commentId)
                : await this.mailer.sendDigest(data.siteId);
        } catch (error) {
          if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
            await this.jobs.finish(id, 'failed');
          }
          throw error;
        }
        if (typeof outcome === 'object') {
          // Too early for this window: the job waits until it opens (no attempt is used up).
          await job.moveToDelayed(outcome.notBefore.getTime(), token);
          throw new DelayedError();
        }
        await this.jobs.finish(id, outcome);
        return outcome;
      },
      { bindings: { queue: QUEUES.mail, jobId: job.id, kind: data.kind } },
    );
  }
}
