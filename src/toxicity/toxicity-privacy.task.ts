import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  PrivacyRegistry,
  type DataSubject,
  type PrivacyParticipant,
} from '../privacy/privacy.registry.js';
import { ToxicityFeedbackRepository } from './toxicity-feedback.repository.js';

/** In an erase, the toxicity model’s lessons from the subject's comments (hashed words) go. */
@Injectable()
export class ToxicityPrivacyTask implements PrivacyParticipant, OnModuleInit {
  readonly name = 'toxicity-lessons';

  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly feedback: ToxicityFeedbackRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async erase(subject: DataSubject, tx: EntityManager): Promise<Record<string, number>> {
    await this.feedback.deleteForComments(tx, subject.commentIds);
    return {};
  }
}
