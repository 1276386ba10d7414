import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  PrivacyRegistry,
  type DataSubject,
  type PrivacyParticipant,
} from '../privacy/privacy.registry.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** Reply-mail consent in data subject requests: exported per site, erased with its proof. */
@Injectable()
export class SubscriptionsPrivacyTask implements PrivacyParticipant, OnModuleInit {
  readonly name = 'subscriptions';

  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly subscriptions: SubscriptionsService,
    private readonly repo: SubscriptionsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async export(subject: DataSubject): Promise<Record<string, unknown>> {
    return { subscriptions: await this.subscriptions.exportAddress(subject.emailIndexes) };
  }

  async erase(subject: DataSubject, tx: EntityManager): Promise<Record<string, number>> {
    return {
      subscriptionsRemoved: await this.repo.deleteByEmailIndexes(tx, subject.emailIndexes),
    };
  }
}
