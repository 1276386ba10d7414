import { Module } from '@nestjs/common';
import { ToxicityFeedbackRepository } from './toxicity-feedback.repository.js';
import { ToxicityModelService } from './toxicity-model.service.js';
import { TasksModule } from '../common/schedule/tasks.module.js';

/** The local abuse model (models/toxicity-model.json) and what moderators taught it. */
@Module({
  imports: [TasksModule],
  providers: [ToxicityFeedbackRepository, ToxicityModelService],
  exports: [ToxicityModelService],
})
export class ToxicityModule {}
