import { Module } from '@nestjs/common';
import { TasksModule } from '../common/schedule/tasks.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { EventsMaintenanceService } from './events-maintenance.service.js';
import { EventsModule } from './events.module.js';
import { LiveEventsPublisher } from './live/live-events.publisher.js';
import { OutboxRelayService } from './outbox/outbox-relay.service.js';
import { EventStreamPublisher } from './stream/event-stream.publisher.js';
import { WebhookRelayTarget } from './webhooks/webhook-relay.target.js';
import { WebhookProcessor } from './webhooks/webhook.processor.js';

/**
 * Events' worker pieces (worker role): the outbox relay and this module's relay targets (the
 * Redis Stream, webhook deliveries, the live channel), the webhook processor, the delivery
 * sweep and the events' retention.
 */
@Module({
  imports: [EventsModule, RedisModule, TasksModule],
  providers: [
    OutboxRelayService,
    EventStreamPublisher,
    WebhookRelayTarget,
    LiveEventsPublisher,
    WebhookProcessor,
    EventsMaintenanceService,
  ],
})
export class EventsWorkerModule {}
