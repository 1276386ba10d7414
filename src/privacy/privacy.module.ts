import { Module } from '@nestjs/common';
import { PrivacyController } from './privacy.controller.js';
import { PrivacyRegistry } from './privacy.registry.js';
import { PrivacyService } from './privacy.service.js';
import { AuditModule } from '../audit/audit.module.js';

/**
 * Data subject requests: export and erase by email. The registry owning modules join (each
 * answers for its own tables: comments, events, spam, toxicity, trust, bans, subscriptions).
 */
@Module({
  imports: [AuditModule],
  controllers: [PrivacyController],
  providers: [PrivacyRegistry, PrivacyService],
  exports: [PrivacyRegistry],
})
export class PrivacyModule {}
