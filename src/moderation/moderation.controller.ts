import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SseSink } from '../events/sse-sink.js';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ResourceIdPipe } from '../common/http/params.js';
import { CountsQueryDto } from './dto/counts-query.dto.js';
import { BulkDecisionDto, DecisionDto } from './dto/decision.dto.js';
import { QueueQueryDto } from './dto/queue-query.dto.js';
import { StreamQueryDto } from './dto/stream-query.dto.js';
import { ModerationStreamService } from './moderation-stream.service.js';
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
  constructor(
    private readonly moderator: ModeratorService,
    private readonly live: ModerationStreamService,
  ) {}

  /** Server-Sent Events: every status change on the token's sites, as moderation items. */
  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this id' })
  stream(
    @CurrentPrincipal() principal: Principal,
    @Query() query: StreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.live.stream(principal, query.siteId, lastEventId, (retryMs) =>
      SseSink.open(reply, retryMs),
    );
  }

  @Get('comments')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: QueueQueryDto,
  ): Promise<{ items: ModerationItem[]; nextCursor: string | null }> {
    return this.moderator.listQueue(principal, query);
  }

  /** How many comments each queue holds: the console's tab counts. */
  @Get('counts')
  counts(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CountsQueryDto,
  ): Promise<{ counts: Record<'held' | 'spam' | 'approved' | 'rejected', number> }> {
    return this.moderator.counts(principal, query);
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

  /** Editors' picks: feature an approved comment. */
  @Post('comments/:id/feature')
  @HttpCode(200)
  feature(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<ModerationItem> {
    return this.moderator.feature(principal, id, true);
  }

  @Delete('comments/:id/feature')
  @HttpCode(200)
  unfeature(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<ModerationItem> {
    return this.moderator.feature(principal, id, false);
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
