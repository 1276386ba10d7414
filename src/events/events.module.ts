import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '../queue/queue.constants.js';
import { SitesModule } from '../sites/sites.module.js';
import { CommentStreamController } from './comment-stream.controller.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { LiveCommentsService } from './live-comments.service.js';
import { LiveEventsHub } from './live-events.hub.js';
import { OutboxWaker } from './outbox-waker.js';
import { OutboxRepository } from './outbox.repository.js';
import { RelayTargetRegistry } from './relay-target.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { WebhookQueue } from './webhook.queue.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksService } from './webhooks.service.js';
import { RedisModule } from '../redis/redis.module.js';
import { AuditModule } from '../audit/audit.module.js';

/**
 * Comment events: the transactional outbox, the pull API, webhook administration and the live
 * SSE streams (api). The relay, its targets, the webhook processor and the timers are
 * registered in the worker role (worker.module.ts) on top of what this module exports.
 */
@Module({
  imports: [
    RedisModule,
    AuditModule,
    SitesModule,
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
