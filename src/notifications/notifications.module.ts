import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module.js';
import { EventsModule } from '../events/events.module.js';
import { QUEUES } from '../queue/queue.constants.js';
import { RetentionModule } from '../retention/retention.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { MailJobsRepository } from './mail-jobs.repository.js';
import { MailQueue } from './mail.queue.js';
import { MailTransport } from './mail.transport.js';
import { NotificationMailer } from './notification-mailer.service.js';
import { SubscriptionTokens } from './subscription-tokens.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { SubscriptionsRetentionTask } from './subscriptions-retention.task.js';

/**
 * Mail to readers and moderators: double opt-in subscriptions (`subscriptions`), reply
 * notifications (`reply_notifications`), digests (`mail_windows`), the `mail` queue and SMTP.
 * The worker role adds `MailProcessor` and `NotificationsRelayTarget` (worker.module.ts).
 */
@Module({
  imports: [
    CommentsModule,
    SitesModule,
    EventsModule,
    RetentionModule,
    BullModule.registerQueue({ name: QUEUES.mail }),
  ],
  controllers: [SubscriptionsController],
  providers: [
    SubscriptionsRepository,
    SubscriptionsService,
    SubscriptionTokens,
    MailTransport,
    MailQueue,
    MailJobsRepository,
    NotificationMailer,
    SubscriptionsRetentionTask,
  ],
  exports: [SubscriptionsService, MailTransport, MailQueue, MailJobsRepository, NotificationMailer],
})
export class NotificationsModule {}
