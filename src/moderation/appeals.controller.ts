import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { AppealItemDto, AppealPageDto } from '../trust/dto/trust-responses.dto.js';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ResourceIdPipe } from '../common/http/params.js';
import type { AppealRow } from '../trust/appeals.repository.js';
import { AppealsService } from '../trust/appeals.service.js';
import { AppealDecisionDto, AppealsQueryDto } from '../trust/dto/trust.dto.js';
import { ModeratorQueue, type ModerationItem } from './moderator-queue.service.js';

export interface AppealItem {
  id: string;
  commentId: string;
  message: string;
  status: AppealRow['status'];
  createdAt: string;
  decidedAt: string | null;
  /** The comment as moderators see it (null if it was deleted for good meanwhile). */
  comment: ModerationItem | null;
}

/** The appeals queue (complaint handling) and its decisions. */
@ApiTags('moderation')
@Auth('moderator', 'admin')
@Controller('v1/moderation/appeals')
export class AppealsController {
  constructor(
    private readonly appeals: AppealsService,
    private readonly moderator: ModeratorQueue,
  ) {}

  @Get()
  @ApiRoute({ summary: 'List appeals', operationId: 'listAppeals', type: AppealPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AppealsQueryDto,
  ): Promise<{ items: AppealItem[]; nextCursor: string | null }> {
    const { rows, nextCursor } = await this.appeals.list(principal, query);
    const comments = await this.moderator.itemsFor([...new Set(rows.map((r) => r.commentId))]);
    return { items: rows.map((row) => toAppealItem(row, comments)), nextCursor };
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Uphold or reverse an appeal',
    operationId: 'decideAppeal',
    type: AppealItemDto,
    problems: [404, 409],
  })
  async decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
    @Body() dto: AppealDecisionDto,
  ): Promise<AppealItem> {
    const row = await this.appeals.decide(principal, id, dto.action, dto.reason);
    return toAppealItem(row, await this.moderator.itemsFor([row.commentId]));
  }
}

function toAppealItem(row: AppealRow, comments: Map<string, ModerationItem>): AppealItem {
  return {
    id: row.id,
    commentId: row.commentId,
    message: row.message,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    comment: comments.get(row.commentId) ?? null,
  };
}
