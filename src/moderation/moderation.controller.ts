import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ResourceIdPipe } from '../common/http/params.js';
import { BulkDecisionDto, DecisionDto } from './dto/decision.dto.js';
import { QueueQueryDto } from './dto/queue-query.dto.js';
import {
  ModeratorService,
  type BulkResult,
  type HistoryEntry,
  type ModerationItem,
} from './moderator.service.js';

@ApiTags('moderation')
@Auth('moderator', 'admin')
@Controller('v1/moderation')
export class ModerationController {
  constructor(private readonly moderator: ModeratorService) {}

  @Get('comments')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: QueueQueryDto,
  ): Promise<{ items: ModerationItem[]; nextCursor: string | null }> {
    return this.moderator.listQueue(principal, query);
  }

  @Get('comments/:id')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<ModerationItem & { history: HistoryEntry[] }> {
    return this.moderator.getItem(principal, id);
  }

  @Post('comments/:id/decision')
  @HttpCode(200)
  decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
    @Body() dto: DecisionDto,
  ): Promise<ModerationItem> {
    return this.moderator.decide(principal, id, dto.action, dto.reason);
  }

  @Delete('comments/:id')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<void> {
    await this.moderator.delete(principal, id);
  }

  @Post('decisions')
  @HttpCode(200)
  decideMany(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: BulkDecisionDto,
  ): Promise<{ results: BulkResult[] }> {
    return this.moderator.decideMany(principal, dto.ids, dto.action, dto.reason);
  }
}
