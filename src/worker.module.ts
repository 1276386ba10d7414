import { Module } from '@nestjs/common';
import { CommentsWorkerModule } from './comments/comments-worker.module.js';
import { EventsWorkerModule } from './events/events-worker.module.js';
import { ImportsWorkerModule } from './imports/imports-worker.module.js';
import { ModerationWorkerModule } from './moderation/moderation-worker.module.js';
import { NotificationsWorkerModule } from './notifications/notifications-worker.module.js';
import { RetentionWorkerModule } from './retention/retention-worker.module.js';
import { SpamWorkerModule } from './spam/spam-worker.module.js';

/**
 * The worker role: each feature registers its own worker pieces (processors, relay targets,
 * sweepers, timers) in its `*-worker.module.ts`. Imported only when ROLE is `worker` or `all`,
 * so an `api` process never consumes jobs.
 */
@Module({
  imports: [
    CommentsWorkerModule,
    SpamWorkerModule,
    ModerationWorkerModule,
    EventsWorkerModule,
    NotificationsWorkerModule,
    RetentionWorkerModule,
    ImportsWorkerModule,
  ],
})
export class WorkerModule {}
