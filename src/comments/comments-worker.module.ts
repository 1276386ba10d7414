import { Module } from '@nestjs/common';
import { TasksModule } from '../common/schedule/tasks.module.js';
import { EventsModule } from '../events/events.module.js';
import { CommentsModule } from './comments.module.js';
import { PendingSweeper } from './state/pending.sweeper.js';
import { ThreadCacheInvalidator } from './thread/thread-cache.invalidator.js';

/**
 * Comments' worker pieces (worker role): the pending sweep, and the relay target that drops a
 * thread's cached pages when its public comments change.
 */
@Module({
  imports: [CommentsModule, EventsModule, TasksModule],
  providers: [PendingSweeper, ThreadCacheInvalidator],
})
export class CommentsWorkerModule {}
