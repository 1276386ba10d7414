import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CryptoService } from '../../common/crypto/crypto.service.js';
import type { AppConfig } from '../../config/app.config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { toCloudEvent } from '../cloud-event.js';
import { OutboxRepository } from '../outbox/outbox.repository.js';
import type { RelayedEvent } from '../outbox/relay-target.js';
import type { WebhookAttempt } from './webhook-delivery.entity.js';
import { postWebhook } from './webhook-http.js';
import { webhookHeaders } from './webhook-signature.js';
import { WebhookQueue } from './webhook.queue.js';
import { WebhooksRepository } from './webhooks.repository.js';

export type DeliveryOutcome = 'delivered' | 'gave-up' | 'skipped';

/** Thrown for an attempt that failed but will be retried (BullMQ applies the backoff). */
export class WebhookAttemptFailedError extends Error {
  constructor(
    readonly attempt: number,
    reason: string,
  ) {
    super(`Webhook attempt ${attempt} failed: ${reason}`);
    this.name = 'WebhookAttemptFailedError';
  }
}

/** Creating, attempting and recovering webhook deliveries (worker role). */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly outbox: OutboxRepository,
    private readonly queue: WebhookQueue,
    private readonly crypto: CryptoService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(WebhookDeliveryService.name) private readonly logger: PinoLogger,
  ) {}

  /** Relay: one delivery per subscribed endpoint and event, queued in sequence order. */
  async fanOut(batch: readonly RelayedEvent[]): Promise<number> {
    const pending = await this.webhooks.createDeliveries(batch.map((e) => e.sequence));
    await this.queue.enqueue(pending);
    return pending.length;
  }

  /**
   * One attempt: POST the event's CloudEvent, signed (Standard Webhooks), within the timeout;
   * record it; succeed, give up after the last attempt, or throw to be retried with backoff.
   */
  async deliver(deliveryId: string, now: () => Date = () => new Date()): Promise<DeliveryOutcome> {
    const delivery = await this.webhooks.findForAttempt(deliveryId);
    if (!delivery || delivery.status !== 'pending') return 'skipped';
    if (delivery.endpointDeletedAt) {
      await this.webhooks.abandon(deliveryId, 'endpoint deleted');
      return 'skipped';
    }
    const row = await this.outbox.findBySequence(delivery.eventSequence);
    if (!row) {
      await this.webhooks.abandon(deliveryId, 'event no longer retained');
      return 'gave-up';
    }
    const event = toCloudEvent(row);
    const body = JSON.stringify(event);
    const secret = this.crypto.decryptText(delivery.secretCiphertext, delivery.secretKeyId);
    const startedAt = now();
    const headers = webhookHeaders(secret, event.id, Math.floor(startedAt.getTime() / 1000), body);
    const result = await postWebhook(
      delivery.url,
      body,
      { ...headers },
      this.config.events.webhookTimeoutMs,
      { allowPrivate: this.config.events.webhookAllowPrivate },
    );

    const number = delivery.attempts + 1;
    const attempt: WebhookAttempt = {
      attempt: number,
      at: startedAt.toISOString(),
      statusCode: result.statusCode,
      error: result.error,
      durationMs: result.durationMs,
    };
    const { webhookMaxAttempts } = this.config.events;
    if (result.error === null) {
      await this.webhooks.recordAttempt(deliveryId, attempt, {
        status: 'succeeded',
        nextAttemptAt: null,
      });
      return 'delivered';
    }
    if (number >= webhookMaxAttempts) {
      await this.webhooks.recordAttempt(deliveryId, attempt, {
        status: 'failed',
        nextAttemptAt: null,
      });
      this.logger.warn(
        { deliveryId, endpointId: delivery.endpointId, attempts: number, error: result.error },
        'Webhook delivery given up',
      );
      return 'gave-up';
    }
    const nextAttemptAt = new Date(now().getTime() + this.backoffMs(number));
    await this.webhooks.recordAttempt(deliveryId, attempt, { status: 'pending', nextAttemptAt });
    throw new WebhookAttemptFailedError(number, result.error);
  }

  /** Sweeper: re-queues pending deliveries long overdue (their job was lost with Redis). */
  async requeueOverdue(graceMs: number, now = new Date()): Promise<number> {
    const overdue = await this.webhooks.findOverdue(new Date(now.getTime() - graceMs), 200);
    let queued = 0;
    for (const delivery of overdue) {
      if ((await this.queue.requeue(delivery)) === 'queued') queued++;
    }
    return queued;
  }

  deleteFinishedBefore(cutoff: Date, batch: number): Promise<number> {
    return this.webhooks.deleteFinishedBefore(cutoff, batch);
  }

  /** As BullMQ's exponential backoff: base × 2^(attempt − 1). */
  private backoffMs(attemptsMade: number): number {
    return this.config.events.webhookRetryBaseMs * 2 ** (attemptsMade - 1);
  }
}
