import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  blindIndexes,
  PrivacyRegistry,
  type DataSubject,
  type PrivacyParticipant,
} from '../privacy/privacy.registry.js';
import { Counters } from '../redis/counters.js';
import { SpamFeedbackRepository } from './spam-feedback.repository.js';

/**
 * In an erase, the spam filter's lessons from the subject's comments (hashed words) go, and
 * afterwards its velocity counters keyed by the subject's email and address.
 */
@Injectable()
export class SpamPrivacyTask implements PrivacyParticipant, OnModuleInit {
  readonly name = 'spam-lessons';

  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly feedback: SpamFeedbackRepository,
    private readonly counters: Counters,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async erase(subject: DataSubject, tx: EntityManager): Promise<Record<string, number>> {
    await this.feedback.deleteForComments(tx, subject.commentIds);
    return {};
  }

  /** The velocity facts counted under the subject's address and email (`spam:…`) go. */
  async afterErase(subject: DataSubject): Promise<void> {
    await this.counters.forget('spam', blindIndexes(subject));
  }
}
