import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ReceiptStatusDto } from '../comments/views/comment-responses.dto.js';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import type { FastifyRequest } from 'fastify';
import { ReceiptQueryDto } from '../comments/thread/dto/thread-query.dto.js';
import { ResourceIdPipe } from '../common/http/params.js';
import { AuthorService, type ReceiptView } from './author.service.js';
import {
  AppealDto,
  DeleteCommentQueryDto,
  EditCommentDto,
  FlagDto,
  FlagResponseDto,
} from './dto/trust.dto.js';
import { FlagsService } from './flags.service.js';

/** Readers' flags and the author's own comment by receipt: read, edit, delete, appeal. */
@ApiTags('public')
@Controller('v1/comments')
export class TrustPublicController {
  constructor(
    private readonly flags: FlagsService,
    private readonly author: AuthorService,
  ) {}

  @Post(':id/flags')
  @HttpCode(202)
  @ApiRoute({
    summary: 'Report a published comment',
    operationId: 'flagComment',
    status: 202,
    type: FlagResponseDto,
    problems: [401, 404, 429],
  })
  flag(
    @Param('id', ResourceIdPipe) id: string,
    @Body() dto: FlagDto,
    @Req() request: FastifyRequest,
  ): Promise<{ id: string }> {
    return this.flags.flag(id, dto, request.ip ?? null);
  }

  /** The author's view: status, and for a rejected comment the statement of reasons. */
  @Get(':id')
  @ApiRoute({
    summary: "Read a comment's status with its receipt",
    operationId: 'getReceiptStatus',
    type: ReceiptStatusDto,
    problems: [404],
  })
  receipt(
    @Param('id', ResourceIdPipe) id: string,
    @Query() query: ReceiptQueryDto,
  ): Promise<ReceiptView> {
    return this.author.receipt(id, query.receipt);
  }

  @Patch(':id')
  @ApiRoute({
    summary: 'Edit your comment by its receipt',
    operationId: 'editOwnComment',
    type: ReceiptStatusDto,
    problems: [403, 404, 409, 429],
  })
  edit(
    @Param('id', ResourceIdPipe) id: string,
    @Body() dto: EditCommentDto,
    @Req() request: FastifyRequest,
  ): Promise<ReceiptView> {
    return this.author.edit(id, dto.receipt, dto.body, { ip: request.ip ?? null });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiRoute({
    summary: 'Delete your comment by its receipt',
    operationId: 'deleteOwnComment',
    status: 204,
    problems: [404],
  })
  async remove(
    @Param('id', ResourceIdPipe) id: string,
    @Query() query: DeleteCommentQueryDto,
  ): Promise<void> {
    await this.author.delete(id, query.receipt);
  }

  @Post(':id/appeal')
  @HttpCode(202)
  @ApiRoute({
    summary: 'Appeal the decision on your comment',
    operationId: 'appealDecision',
    status: 202,
    type: FlagResponseDto,
    problems: [403, 404, 409],
  })
  appeal(@Param('id', ResourceIdPipe) id: string, @Body() dto: AppealDto): Promise<{ id: string }> {
    return this.author.appeal(id, dto.receipt, dto.message);
  }
}
