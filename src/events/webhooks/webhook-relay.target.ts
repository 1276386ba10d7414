import { Injectable } from '@nestjs/common';
import {
  RelayTargetRegistry,
  type RelayTarget,
  type RelayedEvent,
} from '../outbox/relay-target.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

/** Relay target: a delivery row and a `webhooks` job per subscribed endpoint and event. */
@Injectable()
export class WebhookRelayTarget implements RelayTarget {
  readonly name = 'webhooks';
  readonly order = 20;

  constructor(
    private readonly deliveries: WebhookDeliveryService,
    registry: RelayTargetRegistry,
  ) {
    registry.register(this);
  }

  async relay(batch: readonly RelayedEvent[]): Promise<void> {
    await this.deliveries.fanOut(batch);
  }
}
