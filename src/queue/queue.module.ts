import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { bullConnection, selectBullBackend } from '../transport/bullmq-backend.js';
import { CommentPipelineQueue } from './comment-pipeline.queue.js';
import { BULLMQ_EVENTS_MAXLEN, DEFAULT_JOB_OPTIONS, QUEUES } from './queue.constants.js';

/**
 * BullMQ on the chosen transport (the connection and default job options are registered once,
 * here): on Redis every key under REDIS_PREFIX; on PostgreSQL in the schema `bullmq` of the
 * service's database (migrated with the database, so the factory waits for it). The spam and
 * moderation queues and their producer. Imported by the modules that queue comments (not
 * global); other queues are registered by their module.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig) => {
        selectBullBackend(config);
        return {
          // Not auto-pipelined: with it on BullMQ's connections, the chaos run's webhook scenario
          // (delayed retries) did not finish, and users reported delayed-job errors with it
          // upstream (taskforcesh/bullmq#457). Enqueues are batched with addBulk instead.
          connection: bullConnection(config),
          prefix: config.redis.prefix,
          defaultJobOptions: DEFAULT_JOB_OPTIONS,
          // Nothing here reads BullMQ's per-queue event streams (no QueueEvents): each job
          // still appends to them inside BullMQ's scripts, but they stay a short tail.
          streams: { events: { maxLen: BULLMQ_EVENTS_MAXLEN } },
        };
      },
    }),
    BullModule.registerQueue({ name: QUEUES.spam }, { name: QUEUES.moderation }),
  ],
  providers: [CommentPipelineQueue],
  exports: [CommentPipelineQueue, BullModule],
})
export class QueueModule {}
