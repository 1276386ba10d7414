import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { SpamFactsService } from './spam-facts.service.js';
import { SpamFeedbackRepository } from './spam-feedback.repository.js';
import { SpamModelService } from './spam-model.service.js';
import { SpamService } from './spam.service.js';
import { RedisModule } from '../redis/redis.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { TasksModule } from '../common/schedule/tasks.module.js';

/**
 * The spam filter: a trained classifier that learns from moderators, plus signals. Its
 * processor is registered by the worker role (see worker.module.ts).
 */
@Module({
  imports: [RedisModule, QueueModule, TasksModule, CommentsModule, SitesModule],
  providers: [SpamFeedbackRepository, SpamModelService, SpamFactsService, SpamService],
  exports: [SpamService, SpamModelService],
})
export class SpamModule {}
