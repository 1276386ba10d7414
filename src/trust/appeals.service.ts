import { Injectable } from '@nestjs/common';
import { canAccessSite, type Principal } from '../auth/principal.js';
import { CommentStateService } from '../comments/state/comment-state.service.js';
import { CommentTrustRepository } from '../comments/trust/comment-trust.repository.js';
import { ForbiddenError } from '../common/errors/domain.errors.js';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor.js';
import { AppealsRepository, type AppealRow } from './appeals.repository.js';
import type { AppealAction, AppealsQueryDto } from './dto/trust.dto.js';
import { FlagsRepository } from './flags.repository.js';
import { AppealDecidedError, AppealNotFoundError } from './trust.errors.js';

/** Complaint handling: the moderators' appeals queue and their decisions. */
@Injectable()
export class AppealsService {
  constructor(
    private readonly appeals: AppealsRepository,
    private readonly comments: CommentTrustRepository,
    private readonly state: CommentStateService,
    private readonly flags: FlagsRepository,
  ) {}

  async list(
    principal: Principal,
    query: AppealsQueryDto,
  ): Promise<{ rows: AppealRow[]; nextCursor: string | null }> {
    if (query.siteId && !canAccessSite(principal, query.siteId)) {
      throw new ForbiddenError('This token may not moderate that site.');
    }
    const kind = `appeals:${query.status}`;
    const after = query.cursor
      ? decodeCursor<{ t: string; i: string }>(
          kind,
          query.cursor,
          (v): v is { t: string; i: string } =>
            typeof v.t === 'string' &&
            !Number.isNaN(Date.parse(v.t)) &&
            typeof v.i === 'string' &&
            /^[0-9a-f-]{36}$/.test(v.i),
        )
      : null;
    const rows = await this.appeals.list({
      siteIds: query.siteId ? [query.siteId] : principal.siteIds,
      status: query.status,
      after: after ? { createdAt: after.t, id: after.i } : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      rows: page,
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor(kind, { t: last.createdAt.toISOString(), i: last.id })
          : null,
    };
  }

  /**
   * `uphold` keeps the decision (audited on the comment); `reverse` publishes the comment (a
   * compare-and-set from `rejected`, with the appeal's outcome in the same transaction). An
   * appeal decided already, or whose comment moved on, is a 409.
   */
  async decide(
    principal: Principal,
    appealId: string,
    action: AppealAction,
    reason?: string,
  ): Promise<AppealRow> {
    const appeal = await this.appeals.findById(appealId);
    if (!appeal) throw new AppealNotFoundError();
    if (!canAccessSite(principal, appeal.siteId)) {
      throw new ForbiddenError('This token may not moderate that site.');
    }
    if (appeal.status !== 'open') throw new AppealDecidedError();
    const outcome = {
      id: appealId,
      actor: principal.actor,
      reason: reason ?? null,
    };
    if (action === 'reverse') {
      const result = await this.state.transition({
        commentId: appeal.commentId,
        from: ['rejected'],
        to: 'approved',
        actor: principal.actor,
        action: 'approve',
        reason: reason ?? null,
        reasons: [{ code: 'appeal-reversed', message: 'The decision was reversed on appeal' }],
        within: async (manager) => {
          if (!(await this.appeals.decide(manager, { ...outcome, status: 'reversed' }))) {
            throw new AppealDecidedError();
          }
          await this.flags.resolveOpen(manager, appeal.commentId, 'dismissed');
        },
      });
      if (!result) throw new AppealDecidedError();
    } else {
      await this.comments.transaction(async (manager) => {
        if (!(await this.appeals.decide(manager, { ...outcome, status: 'upheld' }))) {
          throw new AppealDecidedError();
        }
        await this.comments.recordAction(manager, {
          commentId: appeal.commentId,
          actor: principal.actor,
          action: 'uphold',
          reason: reason ?? null,
          reasons: [{ code: 'appeal-upheld', message: 'The decision was upheld on appeal' }],
        });
      });
    }
    const decided = await this.appeals.findById(appealId);
    if (!decided) throw new AppealNotFoundError();
    return decided;
  }
}
