import { Module } from '@nestjs/common';
import { SitesModule } from '../sites/sites.module.js';
import { RetentionController } from './retention.controller.js';
import { RetentionRegistry } from './retention.registry.js';
import { RetentionService } from './retention.service.js';
import { RedisModule } from '../redis/redis.module.js';
import { AuditModule } from '../audit/audit.module.js';

/**
 * Data retention (`retention.*` site settings): the registry owning modules join, the run,
 * and `POST /v1/admin/retention/run`. The daily schedule is in the worker role
 * (RetentionScheduler, registered in worker.module.ts).
 */
@Module({
  imports: [RedisModule, AuditModule, SitesModule],
  controllers: [RetentionController],
  providers: [RetentionRegistry, RetentionService],
  exports: [RetentionRegistry, RetentionService],
})
export class RetentionModule {}
