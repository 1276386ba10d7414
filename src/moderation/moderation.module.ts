import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module.js';
import { EventsModule } from '../events/events.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { SpamModule } from '../spam/spam.module.js';
import { TrustModule } from '../trust/trust.module.js';
import { AppealsController } from './appeals.controller.js';
import { ToxicityModule } from '../toxicity/toxicity.module.js';
import { AuthorTrustService } from './author-trust.service.js';
import { BansController } from './bans.controller.js';
import { BansRepository } from './bans.repository.js';
import { BansService } from './bans.service.js';
import { ModerationController } from './moderation.controller.js';
import { ModerationRepository } from './moderation.repository.js';
import { ModerationService } from './moderation.service.js';
import { ModerationStreamService } from './moderation-stream.service.js';
import { ModeratorService } from './moderator.service.js';
import { QueueModule } from '../queue/queue.module.js';
import { AuditModule } from '../audit/audit.module.js';

/** The moderation worker's rules and the moderators' API. */
@Module({
  imports: [
    QueueModule,
    AuditModule,
    CommentsModule,
    SitesModule,
    SpamModule,
    EventsModule,
    TrustModule,
    ToxicityModule,
    NotificationsModule,
  ],
  controllers: [ModerationController, BansController, AppealsController],
  providers: [
    ModerationRepository,
    AuthorTrustService,
    ModerationService,
    ModeratorService,
    ModerationStreamService,
    BansRepository,
    BansService,
  ],
  exports: [ModerationService],
})
export class ModerationModule {}
