import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { ExporterService } from './exporter.service.js';
import { ImporterService } from './importer.service.js';

/** The importer and exporter, without HTTP or queues (the CLI runs just this). */
@Module({
  imports: [SitesModule, CommentsModule],
  providers: [ImporterService, ExporterService],
  exports: [ImporterService, ExporterService],
})
export class ImportsCoreModule {}
