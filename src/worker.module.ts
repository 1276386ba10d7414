import { Module } from '@nestjs/common';
import { CommentsModule } from './comments/comments.module.js';
import { TasksModule } from './common/schedule/tasks.module.js';
import { PendingSweeper } from './comments/state/pending.sweeper.js';
import { ThreadCacheInvalidator } from './comments/thread/thread-cache.invalidator.js';
import { EventStreamPublisher } from './events/event-stream.publisher.js';
import { EventsMaintenanceService } from './events/events-maintenance.service.js';
import { EventsModule } from './events/events.module.js';
import { LiveEventsPublisher } from './events/live-events.publisher.js';
import { OutboxRelayService } from './events/outbox-relay.service.js';
import { WebhookRelayTarget } from './events/webhook-relay.target.js';
import { WebhookProcessor } from './events/webhook.processor.js';
import { ImportProcessor } from './imports/import.processor.js';
import { ImportsModule } from './imports/imports.module.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { ModerationProcessor } from './moderation/moderation.processor.js';
import { MailProcessor } from './notifications/mail.processor.js';
import { MailSweeper } from './notifications/mail.sweeper.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { NotificationsRelayTarget } from './notifications/notifications.relay-target.js';
import { RetentionModule } from './retention/retention.module.js';
import { RetentionScheduler } from './retention/retention.scheduler.js';
import { SpamModule } from './spam/spam.module.js';
import { SpamProcessor } from './spam/spam.processor.js';
import { RedisModule } from './redis/redis.module.js';

/**
 * The worker role: BullMQ processors and the sweeper. Imported only when ROLE is `worker` or
 * `all`, so an `api` process never consumes jobs.
 */
@Module({
  imports: [
    RedisModule,
    TasksModule,
    CommentsModule,
    SpamModule,
    ModerationModule,
    EventsModule,
    NotificationsModule,
    RetentionModule,
    ImportsModule,
  ],
  providers: [
    SpamProcessor,
    ModerationProcessor,
    PendingSweeper,
    // Events: the outbox relay and its targets, webhook deliveries, retention and sweeps.
    OutboxRelayService,
    EventStreamPublisher,
    WebhookRelayTarget,
    LiveEventsPublisher,
    ThreadCacheInvalidator,
    WebhookProcessor,
    EventsMaintenanceService,
    // Mail: reply notifications, confirmations and digests (when SMTP_URL is set).
    NotificationsRelayTarget,
    MailProcessor,
    MailSweeper,
    // Trust and safety: the daily retention run.
    RetentionScheduler,
    ImportProcessor,
  ],
})
export class WorkerModule {}
