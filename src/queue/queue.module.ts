import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CommentPipelineQueue } from './comment-pipeline.queue.js';
import { DEFAULT_JOB_OPTIONS, QUEUES } from './queue.constants.js';

/**
 * BullMQ on Redis, every key under REDIS_PREFIX (the connection and default job options are
 * registered once, here); the spam and moderation queues and their producer. Imported by the
 * modules that queue comments (not global); other queues are registered by their module.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.redis.url },
        prefix: config.redis.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue({ name: QUEUES.spam }, { name: QUEUES.moderation }),
  ],
  providers: [CommentPipelineQueue],
  exports: [CommentPipelineQueue, BullModule],
})
export class QueueModule {}
