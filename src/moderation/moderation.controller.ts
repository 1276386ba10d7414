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
import { ApiExtraModels, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SseSink } from '../common/http/sse-sink.js';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ResourceIdPipe } from '../common/http/params.js';
import { CountsQueryDto } from './dto/counts-query.dto.js';
import { BulkDecisionDto, DecisionDto } from './dto/decision.dto.js';
import { QueueQueryDto } from './dto/queue-query.dto.js';
import { StreamQueryDto } from './dto/stream-query.dto.js';
import { ModerationStreamService } from './moderation-stream.service.js';
import {
  ModeratorQueue,
  type CommentVersion,
  type HistoryEntry,
  type ModerationItem,
} from './moderator-queue.service.js';
import { ModeratorService, type BulkResult } from './moderator.service.js';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import {
  BulkDoneDto,
  BulkFailedDto,
  BulkResultsDto,
  ModerationCountsDto,
  ModerationItemDto,
  ModerationItemWithHistoryDto,
  ModerationPageDto,
} from './dto/moderation-responses.dto.js';

@ApiTags('moderation')
@Auth('moderator', 'admin')
@Controller('v1/moderation')
export class ModerationController {
  constructor(
    private readonly moderator: ModeratorService,
    private readonly queue: ModeratorQueue,
    private readonly live: ModerationStreamService,
  ) {}

  /** Server-Sent Events: every status change on the token's sites, as moderation items. */
  @Get('stream')
  @ApiRoute({
    summary: 'Follow status changes (Server-Sent Events)',
    operationId: 'streamModeration',
    eventStream: '`event: <event type>`, `id: <sequence>`, `data: <moderation item>`',
  })
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
  @ApiRoute({
    summary: 'List a moderation queue',
    operationId: 'listModerationQueue',
    type: ModerationPageDto,
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: QueueQueryDto,
  ): Promise<{ items: ModerationItem[]; nextCursor: string | null }> {
    return this.queue.listQueue(principal, query);
  }

  /** How many comments each queue holds: the console's tab counts. */
  @Get('counts')
  @ApiRoute({
    summary: 'Count the moderation queues',
    operationId: 'getModerationCounts',
    type: ModerationCountsDto,
  })
  counts(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CountsQueryDto,
  ): Promise<{ counts: Record<'held' | 'spam' | 'approved' | 'rejected', number> }> {
    return this.queue.counts(principal, query);
  }

  @Get('comments/:id')
  @ApiRoute({
    summary: 'Read a comment with its history',
    operationId: 'getModerationItem',
    type: ModerationItemWithHistoryDto,
    problems: [404],
  })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<ModerationItem & { history: HistoryEntry[]; versions: CommentVersion[] }> {
    return this.queue.getItem(principal, id);
  }

  @Post('comments/:id/decision')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Approve, reject or mark a comment as spam',
    operationId: 'decideComment',
    type: ModerationItemDto,
    problems: [404, 409],
  })
  decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
    @Body() dto: DecisionDto,
  ): Promise<ModerationItem> {
    return this.moderator.decide(principal, id, dto.action, dto.reason, dto.reasonCode);
  }

  /** Editors' picks: feature an approved comment. */
  @Post('comments/:id/feature')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Feature an approved comment',
    operationId: 'featureComment',
    type: ModerationItemDto,
    problems: [404, 409],
  })
  feature(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<ModerationItem> {
    return this.moderator.feature(principal, id, true);
  }

  @Delete('comments/:id/feature')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Stop featuring a comment',
    operationId: 'unfeatureComment',
    type: ModerationItemDto,
    problems: [404],
  })
  unfeature(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<ModerationItem> {
    return this.moderator.feature(principal, id, false);
  }

  @Delete('comments/:id')
  @HttpCode(204)
  @ApiRoute({
    summary: 'Delete a comment',
    operationId: 'deleteComment',
    status: 204,
    problems: [404],
  })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<void> {
    await this.moderator.delete(principal, id);
  }

  @Post('decisions')
  @HttpCode(200)
  @ApiExtraModels(BulkDoneDto, BulkFailedDto)
  @ApiRoute({
    summary: 'Decide on many comments',
    operationId: 'decideComments',
    type: BulkResultsDto,
  })
  decideMany(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: BulkDecisionDto,
  ): Promise<{ results: BulkResult[] }> {
    return this.moderator.decideMany(principal, dto.ids, dto.action, dto.reason, dto.reasonCode);
  }
}
