import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SiteEntity } from './site.entity.js';
import { SitesController } from './sites.controller.js';
import { SitesRepository } from './sites.repository.js';
import { SiteCorsPolicy } from './site-cors.policy.js';
import { SitesService } from './sites.service.js';
import { AuditModule } from '../audit/audit.module.js';

/** Sites and their settings (moderation mode, spam thresholds, limits). */
@Module({
  imports: [AuditModule, TypeOrmModule.forFeature([SiteEntity])],
  controllers: [SitesController],
  providers: [SitesRepository, SitesService, SiteCorsPolicy],
  exports: [SitesService, SiteCorsPolicy],
})
export class SitesModule {}
