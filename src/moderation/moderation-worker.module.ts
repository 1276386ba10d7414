import { Module } from '@nestjs/common';
import { ModerationModule } from './moderation.module.js';
import { ModerationProcessor } from './moderation.processor.js';

/** The moderation stage's worker pieces (worker role): the `moderation` queue's processor. */
@Module({ imports: [ModerationModule], providers: [ModerationProcessor] })
export class ModerationWorkerModule {}
