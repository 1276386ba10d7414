import { Body, Controller, Delete, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { OptionalBody } from '../../common/http/optional-body.js';
import { ResourceIdPipe } from '../../common/http/params.js';
import {
  ReactionDto,
  ReactionQueryDto,
  ReactionResultDto,
  ReaderIdentityDto,
} from './dto/reaction.dto.js';
import { ReactionsService } from './reactions.service.js';
import { ApiRoute } from '../../common/openapi/api-route.decorator.js';

/** Readers' reactions to a published comment (`like`), one per reader. */
@ApiTags('public')
@Controller('v1/comments/:id/reactions')
export class ReactionsController {
  constructor(private readonly reactions: ReactionsService) {}

  @Post()
  @HttpCode(200)
  @ApiRoute({
    summary: 'Like a published comment',
    operationId: 'addReaction',
    type: ReactionResultDto,
    problems: [401, 404, 429],
  })
  add(
    @Param('id', ResourceIdPipe) id: string,
    @Body() dto: ReactionDto,
    @Req() request: FastifyRequest,
  ): Promise<{ likes: number }> {
    return this.reactions.react(
      id,
      dto.type,
      { ip: request.ip ?? null, identity: dto.identity },
      true,
    );
  }

  @Delete()
  @HttpCode(200)
  @ApiRoute({
    summary: 'Take a like back',
    operationId: 'removeReaction',
    type: ReactionResultDto,
    problems: [401, 404, 429],
  })
  @ApiBody({ type: ReaderIdentityDto, required: false })
  remove(
    @Param('id', ResourceIdPipe) id: string,
    @Query() query: ReactionQueryDto,
    @Req() request: FastifyRequest,
    // Optional: a DELETE may carry the reader's identity in a JSON body.
    @OptionalBody() body: ReaderIdentityDto,
  ): Promise<{ likes: number }> {
    const identity = body.identity;
    return this.reactions.react(id, query.type, { ip: request.ip ?? null, identity }, false);
  }
}
