import { Module } from '@nestjs/common';
import { SitesModule } from '../sites/sites.module.js';
import { RetentionController } from './retention.controller.js';
import { RetentionRegistry } from './retention.registry.js';
import { RetentionService } from './retention.service.js';

/**
 * Data retention (`retention.*` site settings): the registry owning modules join, the run,
 * and `POST /v1/admin/retention/run`. The daily schedule is in the worker role
 * (RetentionScheduler, registered in worker.module.ts).
 */
@Module({
  imports: [SitesModule],
  controllers: [RetentionController],
  providers: [RetentionRegistry, RetentionService],
  exports: [RetentionRegistry, RetentionService],
})
export class RetentionModule {}
