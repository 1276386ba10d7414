import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { SpamService } from './spam.service.js';

/** The spam filter. Its processor is registered by the worker role (see worker.module.ts). */
@Module({
  imports: [CommentsModule, SitesModule],
  providers: [SpamService],
  exports: [SpamService],
})
export class SpamModule {}
