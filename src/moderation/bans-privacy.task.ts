import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  PrivacyRegistry,
  type DataSubject,
  type PrivacyParticipant,
} from '../privacy/privacy.registry.js';
import { BansRepository } from './bans.repository.js';

/** Bans in data subject requests: exported masked (they hold hashes only), erased. */
@Injectable()
export class BansPrivacyTask implements PrivacyParticipant, OnModuleInit {
  readonly name = 'bans';

  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly bans: BansRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async export(subject: DataSubject): Promise<Record<string, unknown>> {
    const bans = await this.bans.findByEmailIndexes(subject.emailIndexes);
    return {
      bans: bans.map((b) => ({
        id: b.id,
        siteId: b.siteId,
        email: b.emailMasked,
        reason: b.reason,
        expiresAt: b.expiresAt?.toISOString() ?? null,
        createdAt: b.createdAt.toISOString(),
      })),
    };
  }

  async erase(subject: DataSubject, tx: EntityManager): Promise<Record<string, number>> {
    return { bansRemoved: await this.bans.deleteByEmailIndexes(tx, subject.emailIndexes) };
  }
}
