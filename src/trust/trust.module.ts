import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module.js';
import { EventsModule } from '../events/events.module.js';
import { RetentionModule } from '../retention/retention.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { AppealsRepository } from './appeals.repository.js';
import { AppealsService } from './appeals.service.js';
import { AuthorService } from './author.service.js';
import { FlagsRepository } from './flags.repository.js';
import { FlagsService } from './flags.service.js';
import { TransparencyController } from './transparency.controller.js';
import { TransparencyService } from './transparency.service.js';
import { TrustPublicController } from './trust-public.controller.js';
import { TrustRetentionTask } from './trust-retention.task.js';
import { QueueModule } from '../queue/queue.module.js';

/**
 * Trust and safety: reader flags (`comment_flags`), appeals (`appeals`), the author's own
 * comment by receipt (statement of reasons, edit, delete) and the transparency figures. Status
 * changes go through the comments module's CommentStateService like every other.
 */
@Module({
  imports: [QueueModule, CommentsModule, SitesModule, EventsModule, RetentionModule],
  controllers: [TrustPublicController, TransparencyController],
  providers: [
    FlagsRepository,
    FlagsService,
    AppealsRepository,
    AppealsService,
    AuthorService,
    TransparencyService,
    TrustRetentionTask,
  ],
  exports: [FlagsService, FlagsRepository, AppealsService],
})
export class TrustModule {}
