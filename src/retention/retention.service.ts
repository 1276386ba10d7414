import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { AuditService } from '../audit/audit.service.js';
import { SitesService } from '../sites/sites.service.js';
import { RetentionRegistry } from './retention.registry.js';

export interface RetentionResult {
  /** How many of each thing were removed (`ipHashes`, `rejectedComments`, …). */
  removed: Record<string, number>;
  ranAt: string;
}

/** The retention run: every registered task over every site, then one audit entry. */
@Injectable()
export class RetentionService {
  private running: Promise<RetentionResult> | null = null;

  constructor(
    private readonly registry: RetentionRegistry,
    private readonly sites: SitesService,
    private readonly audit: AuditService,
    @InjectPinoLogger(RetentionService.name) private readonly logger: PinoLogger,
  ) {}

  /** Runs now (a run already going in this process is joined, not doubled). */
  run(actor: string, now = new Date()): Promise<RetentionResult> {
    this.running ??= this.purge(actor, now).finally(() => (this.running = null));
    return this.running;
  }

  private async purge(actor: string, now: Date): Promise<RetentionResult> {
    const sites = await this.sites.list();
    const removed: Record<string, number> = {};
    for (const task of this.registry.all()) {
      const counts = await task.purge(sites, now);
      for (const [what, n] of Object.entries(counts)) removed[what] = (removed[what] ?? 0) + n;
    }
    await this.audit.record({
      actor,
      action: 'retention.run',
      targetType: 'retention',
      details: { removed },
    });
    this.logger.info({ removed }, 'Retention run');
    return { removed, ranAt: now.toISOString() };
  }
}
