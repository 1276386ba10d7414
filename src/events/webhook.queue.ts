import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { QUEUES, type WebhookJobData } from '../queue/queue.constants.js';
import { requeueById, type RequeueResult, type RequeuedJob } from '../queue/requeue.js';
import type { DeliveryRef } from './webhooks.repository.js';

/**
 * Puts webhook deliveries on the `webhooks` queue: job id = delivery id (a delivery is never
 * waiting twice), data = ids only, retried with exponential backoff up to the give-up limit.
 * The database row, not the job, is the record: a lost job is re-queued by the sweeper.
 */
@Injectable()
export class WebhookQueue {
  private readonly options: JobsOptions;

  constructor(
    @InjectQueue(QUEUES.webhooks) private readonly queue: Queue<WebhookJobData>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.options = {
      attempts: config.events.webhookMaxAttempts,
      backoff: { type: 'exponential', delay: config.events.webhookRetryBaseMs },
      removeOnComplete: { age: 3600, count: 5000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  async enqueue(deliveries: readonly DeliveryRef[]): Promise<void> {
    if (!deliveries.length) return;
    await this.queue.addBulk(
      deliveries.map((d) => {
        const { id, ...job } = this.job(d);
        return { ...job, opts: { ...job.opts, jobId: id } };
      }),
    );
  }

  /** For the sweeper: see `requeueById`. */
  requeue(delivery: DeliveryRef): Promise<RequeueResult> {
    return requeueById(this.queue, this.job(delivery));
  }

  private job(d: DeliveryRef): RequeuedJob<WebhookJobData> {
    return {
      id: d.id,
      name: 'deliver',
      data: { deliveryId: d.id, endpointId: d.endpointId, sequence: d.eventSequence },
      opts: this.options,
    };
  }
}
