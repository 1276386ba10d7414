import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { ModerationController } from './moderation.controller.js';
import { ModerationRepository } from './moderation.repository.js';
import { ModerationService } from './moderation.service.js';
import { ModeratorService } from './moderator.service.js';

/** The moderation worker's rules and the moderators' API. */
@Module({
  imports: [CommentsModule, SitesModule],
  controllers: [ModerationController],
  providers: [ModerationRepository, ModerationService, ModeratorService],
  exports: [ModerationService],
})
export class ModerationModule {}
