import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  PrivacyRegistry,
  type DataSubject,
  type PrivacyParticipant,
} from '../privacy/privacy.registry.js';
import { SpamFeedbackRepository } from './spam-feedback.repository.js';

/** In an erase, the spam filter's lessons from the subject's comments (hashed words) go. */
@Injectable()
export class SpamPrivacyTask implements PrivacyParticipant, OnModuleInit {
  readonly name = 'spam-lessons';

  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly feedback: SpamFeedbackRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async erase(subject: DataSubject, tx: EntityManager): Promise<Record<string, number>> {
    await this.feedback.deleteForComments(tx, subject.commentIds);
    return {};
  }
}
