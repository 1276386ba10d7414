import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../../config/app.config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { ConfiguredWorkerHost } from '../../queue/configured-worker.host.js';
import { QUEUES, WORKER_OPTIONS, type WebhookJobData } from '../../queue/queue.constants.js';
import {
  WebhookAttemptFailedError,
  WebhookDeliveryService,
  type DeliveryOutcome,
} from './webhook-delivery.service.js';

/** Receivers are slow, remote and many: several deliveries at once (WORKER_CONCURRENCY). */
@Processor(QUEUES.webhooks, WORKER_OPTIONS)
export class WebhookProcessor extends ConfiguredWorkerHost {
  constructor(
    private readonly deliveries: WebhookDeliveryService,
    private readonly logger: PinoLogger,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
  ) {
    super();
  }

  process(job: Job<WebhookJobData>): Promise<DeliveryOutcome> {
    const { deliveryId, endpointId, sequence } = job.data;
    return this.logger.runInContext(
      async () => {
        try {
          return await this.deliveries.deliver(deliveryId);
        } catch (error) {
          // A failed attempt is recorded and retried; anything else would go unnoticed.
          if (!(error instanceof WebhookAttemptFailedError)) {
            this.logger.warn({ err: (error as Error).message }, 'Webhook job failed');
          }
          throw error;
        }
      },
      { bindings: { queue: QUEUES.webhooks, jobId: job.id, deliveryId, endpointId, sequence } },
    );
  }
}
