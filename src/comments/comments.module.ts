import { Module } from '@nestjs/common';
import { ChallengeModule } from '../challenge/challenge.module.js';
import { PrivacyModule } from '../privacy/privacy.module.js';
import { RetentionModule } from '../retention/retention.module.js';
import { EventsModule } from '../events/events.module.js';
import { SitesModule } from '../sites/sites.module.js';
import type { Redis } from 'ioredis';
import { PubSub } from '../redis/pubsub.js';
import { RedisKeys } from '../redis/redis-keys.js';
import { REDIS, RedisModule } from '../redis/redis.module.js';
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
import { CommentsPrivacyRepository } from './privacy/comments-privacy.repository.js';
import { CommentsPrivacyTask } from './privacy/comments-privacy.task.js';
import { CommentsRetentionRepository } from './privacy/comments-retention.repository.js';
import { CommentsRetentionTask } from './privacy/comments-retention.task.js';
import { ReactionsController } from './reactions/reactions.controller.js';
import { ReactionsRepository } from './reactions/reactions.repository.js';
import { ReactionsService } from './reactions/reactions.service.js';
import { ReviewComments } from './review/review-comments.port.js';
import { CommentStateRepository } from './state/comment-state.repository.js';
import { CommentStateService } from './state/comment-state.service.js';
import { FeaturedCommentsService } from './state/featured-comments.service.js';
import { ThreadController } from './thread/thread.controller.js';
import { ThreadRepository } from './thread/thread.repository.js';
import { ThreadService } from './thread/thread.service.js';
import { LocalThreadCache } from './thread/thread-local.cache.js';
import { RedisThreadCache, ThreadCache } from './thread/thread.cache.js';
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
    PrivacyModule,
  ],
  controllers: [IntakeController, ThreadController, ArticlesController, ReactionsController],
  providers: [
    IntakeRepository,
    IntakeService,
    SubmitRateLimiter,
    ThreadRepository,
    ThreadService,
    {
      // The Redis transport's cache (Redis + near cache), or PostgreSQL alone's (in process).
      provide: ThreadCache,
      inject: [REDIS, RedisKeys, PubSub],
      useFactory: (redis: Redis | null, keys: RedisKeys, pubsub: PubSub): ThreadCache =>
        redis ? new RedisThreadCache(redis, keys, pubsub) : new LocalThreadCache(pubsub),
    },
    ArticlesRepository,
    ArticlesService,
    CommentStateRepository,
    CommentStateService,
    FeaturedCommentsService,
    WorkerComments,
    ReviewComments,
    ReactionsRepository,
    ReactionsService,
    CommentTrustRepository,
    CommentsRetentionRepository,
    CommentsRetentionTask,
    CommentsPrivacyRepository,
    CommentsPrivacyTask,
    CommentsBulkRepository,
    CommentsBulkService,
  ],
  exports: [
    CommentStateService,
    WorkerComments,
    ReviewComments,
    ThreadCache,
    FeaturedCommentsService,
    // Trust and safety (flags, appeals, author edits, retention, transparency).
    CommentTrustRepository,
    SubmitRateLimiter,
    CommentsBulkService,
  ],
})
export class CommentsModule {}
