import { Module } from '@nestjs/common';
import { PrivacyModule } from '../privacy/privacy.module.js';
import { ToxicityFeedbackRepository } from './toxicity-feedback.repository.js';
import { ToxicityModelService } from './toxicity-model.service.js';
import { ToxicityPrivacyTask } from './toxicity-privacy.task.js';
import { TasksModule } from '../common/schedule/tasks.module.js';

/** The local abuse model (models/toxicity-model.json) and what moderators taught it. */
@Module({
  imports: [TasksModule, PrivacyModule],
  providers: [ToxicityFeedbackRepository, ToxicityModelService, ToxicityPrivacyTask],
  exports: [ToxicityModelService],
})
export class ToxicityModule {}
