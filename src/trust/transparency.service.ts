import { Injectable } from '@nestjs/common';
import { canAccessSite, type Principal } from '../auth/principal.js';
import { CommentTrustRepository } from '../comments/trust/comment-trust.repository.js';
import { ForbiddenError, ValidationFailedError } from '../common/errors/domain.errors.js';
import { SitesService } from '../sites/sites.service.js';
import { AppealsRepository } from './appeals.repository.js';
import type { TransparencyQueryDto } from './dto/trust.dto.js';
import { FlagsRepository } from './flags.repository.js';

export interface TransparencyReport {
  siteId: string | null;
  from: string;
  to: string;
  decisions: { automated: Record<string, number>; human: Record<string, number> };
  reasons: Record<string, number>;
  flags: { received: number; byReason: Record<string, number>; actioned: number };
  appeals: { received: number; upheld: number; reversed: number };
  medianMinutesToDecision: number | null;
}

const DEFAULT_PERIOD_MS = 30 * 24 * 3600 * 1000;

/** The figures a transparency report needs (DSA Art. 15 and 24), for a site and a period. */
@Injectable()
export class TransparencyService {
  constructor(
    private readonly comments: CommentTrustRepository,
    private readonly flags: FlagsRepository,
    private readonly appeals: AppealsRepository,
    private readonly sites: SitesService,
  ) {}

  async report(
    principal: Principal,
    query: TransparencyQueryDto,
    now = new Date(),
  ): Promise<TransparencyReport> {
    if (query.siteId) {
      if (!canAccessSite(principal, query.siteId)) throw new ForbiddenError('Not this site.');
      await this.sites.get(query.siteId);
    }
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_MS);
    if (from >= to) {
      throw new ValidationFailedError([{ field: 'from', message: 'from must be before to' }]);
    }
    const siteIds = query.siteId ? [query.siteId] : principal.siteIds;
    const [decisionRows, reasonRows, flags, appeals, median] = await Promise.all([
      this.comments.decisionCounts(siteIds, from, to),
      this.comments.reasonCounts(siteIds, from, to),
      this.flags.counts(siteIds, from, to),
      this.appeals.counts(siteIds, from, to),
      this.comments.medianMinutesToHumanDecision(siteIds, from, to),
    ]);
    const decisions = {
      automated: {} as Record<string, number>,
      human: {} as Record<string, number>,
    };
    for (const row of decisionRows) {
      decisions[row.automated ? 'automated' : 'human'][row.action] = row.n;
    }
    return {
      siteId: query.siteId ?? null,
      from: from.toISOString(),
      to: to.toISOString(),
      decisions,
      reasons: Object.fromEntries(reasonRows.map((r) => [r.code, r.n])),
      flags,
      appeals,
      medianMinutesToDecision: median,
    };
  }
}
