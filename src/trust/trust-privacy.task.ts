import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  PrivacyRegistry,
  type DataSubject,
  type PrivacyParticipant,
} from '../privacy/privacy.registry.js';
import { AppealsRepository } from './appeals.repository.js';
import { FlagsRepository } from './flags.repository.js';

/** Trust and safety in an erase: the author's appeal texts, the address as a flag contact. */
@Injectable()
export class TrustPrivacyTask implements PrivacyParticipant, OnModuleInit {
  readonly name = 'trust';

  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly appeals: AppealsRepository,
    private readonly flags: FlagsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async erase(subject: DataSubject, tx: EntityManager): Promise<Record<string, number>> {
    await this.appeals.clearMessages(tx, subject.commentIds);
    return { flagContactsRemoved: await this.flags.forgetContacts(tx, subject.emailIndexes) };
  }
}
