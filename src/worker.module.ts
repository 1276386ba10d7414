import { Module } from '@nestjs/common';
import { CommentsModule } from './comments/comments.module.js';
import { PendingSweeper } from './comments/pending.sweeper.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { ModerationProcessor } from './moderation/moderation.processor.js';
import { SpamModule } from './spam/spam.module.js';
import { SpamProcessor } from './spam/spam.processor.js';

/**
 * The worker role: BullMQ processors and the sweeper. Imported only when ROLE is `worker` or
 * `all`, so an `api` process never consumes jobs.
 */
@Module({
  imports: [CommentsModule, SpamModule, ModerationModule],
  providers: [SpamProcessor, ModerationProcessor, PendingSweeper],
})
export class WorkerModule {}
