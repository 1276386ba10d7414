import { Module } from '@nestjs/common';
import { TasksModule } from '../common/schedule/tasks.module.js';
import { EventsModule } from '../events/events.module.js';
import { MailProcessor } from './mail.processor.js';
import { MailSweeper } from './mail.sweeper.js';
import { NotificationsModule } from './notifications.module.js';
import { NotificationsRelayTarget } from './notifications.relay-target.js';

/**
 * Mail's worker pieces (worker role): the relay target that turns events into mail jobs (when
 * SMTP_URL is set), the `mail` queue's processor and the sweep of lost mail jobs.
 */
@Module({
  imports: [NotificationsModule, EventsModule, TasksModule],
  providers: [NotificationsRelayTarget, MailProcessor, MailSweeper],
})
export class NotificationsWorkerModule {}
