import { Module } from '@nestjs/common';
import { ChallengeModule } from '../challenge/challenge.module.js';
import { RetentionModule } from '../retention/retention.module.js';
import { EventsModule } from '../events/events.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { ArticlesController } from './articles/articles.controller.js';
import { ArticlesRepository } from './articles/articles.repository.js';
import { ArticlesService } from './articles/articles.service.js';
import { CommentsBulkRepository } from './bulk/comments-bulk.repository.js';
import { CommentsBulkService } from './bulk/comments-bulk.service.js';
import { IntakeController } from './intake/intake.controller.js';
import { IntakeRepository } from './intake/intake.repository.js';
import { IntakeService } from './intake/intake.service.js';
import { SubmitRateLimiter } from './intake/submit-rate-limiter.js';
import { WorkerComments } from './pipeline/worker-comments.port.js';
import { CommentsRetentionTask } from './privacy/comments-retention.task.js';
import { ReactionsController } from './reactions/reactions.controller.js';
import { ReactionsRepository } from './reactions/reactions.repository.js';
import { ReactionsService } from './reactions/reactions.service.js';
import { CommentStateRepository } from './state/comment-state.repository.js';
import { CommentStateService } from './state/comment-state.service.js';
import { FeaturedCommentsService } from './state/featured-comments.service.js';
import { ThreadController } from './thread/thread.controller.js';
import { ThreadRepository } from './thread/thread.repository.js';
import { ThreadService } from './thread/thread.service.js';
import { ThreadCache } from './thread/thread.cache.js';
import { CommentTrustRepository } from './trust/comment-trust.repository.js';

/**
 * Comments, by stage: intake (submit), thread (public reads, caches, ETag), articles, state
 * (the one place statuses change, featuring, the pending sweep), reactions, bulk (import and
 * export rows), and the ports other modules ask: `WorkerComments` for the workers,
 * `CommentTrustRepository` for trust and safety.
 */
@Module({
  imports: [
    RedisModule,
    QueueModule,
    AuditModule,
    SitesModule,
    EventsModule,
    ChallengeModule,
    RetentionModule,
  ],
  controllers: [IntakeController, ThreadController, ArticlesController, ReactionsController],
  providers: [
    IntakeRepository,
    IntakeService,
    SubmitRateLimiter,
    ThreadRepository,
    ThreadService,
    ThreadCache,
    ArticlesRepository,
    ArticlesService,
    CommentStateRepository,
    CommentStateService,
    FeaturedCommentsService,
    WorkerComments,
    ReactionsRepository,
    ReactionsService,
    CommentTrustRepository,
    CommentsRetentionTask,
    CommentsBulkRepository,
    CommentsBulkService,
  ],
  exports: [
    CommentStateService,
    WorkerComments,
    ThreadCache,
    FeaturedCommentsService,
    // Trust and safety (flags, appeals, author edits, retention, transparency).
    CommentTrustRepository,
    SubmitRateLimiter,
    CommentsBulkService,
  ],
})
export class CommentsModule {}
