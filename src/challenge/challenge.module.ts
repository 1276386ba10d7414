import { Module } from '@nestjs/common';
import { ChallengeController } from './challenge.controller.js';
import { ChallengeService } from './challenge.service.js';
import { RedisModule } from '../redis/redis.module.js';

/** ALTCHA proof of work: challenges for widgets, verification at submit. */
@Module({
  imports: [RedisModule],
  controllers: [ChallengeController],
  providers: [ChallengeService],
  exports: [ChallengeService],
})
export class ChallengeModule {}
