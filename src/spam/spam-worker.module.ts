import { Module } from '@nestjs/common';
import { SpamModule } from './spam.module.js';
import { SpamProcessor } from './spam.processor.js';

/** The spam stage's worker pieces (worker role): the `spam` queue's processor. */
@Module({ imports: [SpamModule], providers: [SpamProcessor] })
export class SpamWorkerModule {}
