import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { EventsPrivacyTask } from './events-privacy.task.js';
import { PrivacyModule } from '../privacy/privacy.module.js';
import { QUEUES } from '../queue/queue.constants.js';
import { SitesModule } from '../sites/sites.module.js';
import { CommentStreamController } from './live/comment-stream.controller.js';
import { EventsController } from './stream/events.controller.js';
import { EventsService } from './stream/events.service.js';
import { LiveCommentsService } from './live/live-comments.service.js';
import { LiveEventsHub } from './live/live-events.hub.js';
import { OutboxWaker } from './outbox/outbox-waker.js';
import { OutboxRepository } from './outbox/outbox.repository.js';
import { RelayTargetRegistry } from './outbox/relay-target.js';
import { WebhookDeliveryService } from './webhooks/webhook-delivery.service.js';
import { WebhookQueue } from './webhooks/webhook.queue.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';
import { WebhooksRepository } from './webhooks/webhooks.repository.js';
import { WebhooksService } from './webhooks/webhooks.service.js';
import { RedisModule } from '../redis/redis.module.js';
import { AuditModule } from '../audit/audit.module.js';

/**
 * Comment events, in rooms: `outbox/` (the table, the relay and its targets' registry),
 * `stream/` (the Redis Stream and the pull API), `webhooks/` (endpoints, deliveries) and
 * `live/` (the SSE streams). The relay, this module's relay targets, the webhook processor and
 * the timers are registered in the worker role by `EventsWorkerModule`.
 */
@Module({
  imports: [
    RedisModule,
    AuditModule,
    SitesModule,
    PrivacyModule,
    BullModule.registerQueue({ name: QUEUES.webhooks }),
  ],
  controllers: [EventsController, WebhooksController, CommentStreamController],
  providers: [
    OutboxRepository,
    OutboxWaker,
    RelayTargetRegistry,
    EventsService,
    WebhooksRepository,
    WebhooksService,
    WebhookQueue,
    WebhookDeliveryService,
    LiveEventsHub,
    LiveCommentsService,
    EventsPrivacyTask,
  ],
  exports: [
    OutboxRepository,
    OutboxWaker,
    RelayTargetRegistry,
    WebhookDeliveryService,
    LiveEventsHub,
  ],
})
export class EventsModule {}
