import { Module } from '@nestjs/common';
import { ChallengeController } from './challenge.controller.js';
import { ChallengeService } from './challenge.service.js';

/** ALTCHA proof of work: challenges for widgets, verification at submit. */
@Module({
  controllers: [ChallengeController],
  providers: [ChallengeService],
  exports: [ChallengeService],
})
export class ChallengeModule {}
