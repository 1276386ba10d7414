import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { QUEUES, type MailJobData } from '../queue/queue.constants.js';
import { requeueById, type RequeueResult } from '../queue/requeue.js';

/** Retries with exponential backoff (2 s, 4 s, … about an hour in all): SMTP servers recover. */
const MAIL_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export interface MailJob {
  /** Deterministic, so an event relayed twice queues one job (no `:` allowed by BullMQ). */
  id: string;
  data: MailJobData;
}

/**
 * The `mail` queue: jobs carry ids (comment, site), never an address. Each job is recorded in
 * `mail_jobs` first (`MailJobsRepository`); the mail sweeper re-queues what Redis lost.
 */
@Injectable()
export class MailQueue {
  constructor(@InjectQueue(QUEUES.mail) private readonly queue: Queue<MailJobData>) {}

  async add(jobs: readonly MailJob[]): Promise<void> {
    if (!jobs.length) return;
    await this.queue.addBulk(
      jobs.map((j) => ({
        name: j.data.kind,
        data: j.data,
        opts: { ...MAIL_JOB_OPTIONS, jobId: j.id },
      })),
    );
  }

  /** For the sweeper: see `requeueById`. */
  requeue(job: MailJob): Promise<RequeueResult> {
    return requeueById(this.queue, {
      id: job.id,
      name: job.data.kind,
      data: job.data,
      opts: MAIL_JOB_OPTIONS,
    });
  }
}
