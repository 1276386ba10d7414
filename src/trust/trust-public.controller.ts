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
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ReceiptQueryDto } from '../comments/dto/thread-query.dto.js';
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
  @ApiAcceptedResponse({ type: FlagResponseDto })
  flag(
    @Param('id', ResourceIdPipe) id: string,
    @Body() dto: FlagDto,
    @Req() request: FastifyRequest,
  ): Promise<{ id: string }> {
    return this.flags.flag(id, dto, { ip: request.ip ?? null });
  }

  /** The author's view: status, and for a rejected comment the statement of reasons. */
  @Get(':id')
  receipt(
    @Param('id', ResourceIdPipe) id: string,
    @Query() query: ReceiptQueryDto,
  ): Promise<ReceiptView> {
    return this.author.receipt(id, query.receipt);
  }

  @Patch(':id')
  edit(
    @Param('id', ResourceIdPipe) id: string,
    @Body() dto: EditCommentDto,
    @Req() request: FastifyRequest,
  ): Promise<ReceiptView> {
    return this.author.edit(id, dto.receipt, dto.body, { ip: request.ip ?? null });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id', ResourceIdPipe) id: string,
    @Query() query: DeleteCommentQueryDto,
  ): Promise<void> {
    await this.author.delete(id, query.receipt);
  }

  @Post(':id/appeal')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: FlagResponseDto })
  appeal(@Param('id', ResourceIdPipe) id: string, @Body() dto: AppealDto): Promise<{ id: string }> {
    return this.author.appeal(id, dto.receipt, dto.message);
  }
}
