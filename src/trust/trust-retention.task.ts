import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RetentionRegistry, type RetentionTask } from '../retention/retention.registry.js';
import type { Site } from '../sites/sites.service.js';
import { FlagsRepository } from './flags.repository.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Trust and safety's part of retention: a closed flag forgets who sent it (reader hash and
 * contact address) `retention.ipDays` after it was resolved; the flag stays for the figures.
 */
@Injectable()
export class TrustRetentionTask implements RetentionTask, OnModuleInit {
  readonly name = 'trust';

  constructor(
    private readonly registry: RetentionRegistry,
    private readonly flags: FlagsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async purge(sites: readonly Site[], now: Date): Promise<Record<string, number>> {
    let flagReporters = 0;
    for (const site of sites) {
      flagReporters += await this.flags.forgetReporters(
        site.id,
        new Date(now.getTime() - site.settings.retention.ipDays * DAY_MS),
      );
    }
    return { flagReporters };
  }
}
