import { Module } from '@nestjs/common';
import { TasksModule } from '../common/schedule/tasks.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { RetentionModule } from './retention.module.js';
import { RetentionScheduler } from './retention.scheduler.js';

/** Retention's worker pieces (worker role): the daily run's scheduler. */
@Module({ imports: [RetentionModule, RedisModule, TasksModule], providers: [RetentionScheduler] })
export class RetentionWorkerModule {}
