import { Module } from '@nestjs/common';
import { ChallengeModule } from '../challenge/challenge.module.js';
import { RetentionModule } from '../retention/retention.module.js';
import { EventsModule } from '../events/events.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { ArticlesController } from './articles.controller.js';
import { CommentStateService } from './comment-state.service.js';
import { CommentTrustRepository } from './comment-trust.repository.js';
import { CommentsRetentionTask } from './comments-retention.task.js';
import { CommentsController } from './comments.controller.js';
import { CommentsBulkRepository } from './comments-bulk.repository.js';
import { CommentsBulkService } from './comments-bulk.service.js';
import { CommentsRepository } from './comments.repository.js';
import { CommentsService } from './comments.service.js';
import { FeaturedCommentsService } from './featured-comments.service.js';
import { ReactionsController } from './reactions.controller.js';
import { ReactionsRepository } from './reactions.repository.js';
import { ReactionsService } from './reactions.service.js';
import { SubmitRateLimiter } from './submit-rate-limiter.js';
import { ThreadCache } from './thread.cache.js';
import { RedisModule } from '../redis/redis.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { AuditModule } from '../audit/audit.module.js';

/** Public submit and read, articles, and the one place comment statuses change. */
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
  controllers: [CommentsController, ArticlesController, ReactionsController],
  providers: [
    CommentsRepository,
    CommentsService,
    CommentStateService,
    SubmitRateLimiter,
    ThreadCache,
    FeaturedCommentsService,
    ReactionsRepository,
    ReactionsService,
    CommentTrustRepository,
    CommentsRetentionTask,
    CommentsBulkRepository,
    CommentsBulkService,
  ],
  exports: [
    CommentsService,
    CommentStateService,
    ThreadCache,
    FeaturedCommentsService,
    // Trust and safety (flags, appeals, author edits, retention, transparency).
    CommentTrustRepository,
    SubmitRateLimiter,
    CommentsBulkService,
  ],
})
export class CommentsModule {}
