import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationFailedError } from '../common/errors/domain.errors.js';
import { edgeCacheHeaders } from '../common/http/edge-cache.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ArticleIdPipe, SiteIdPipe } from '../common/http/params.js';
import { CommentsService, type SubmitResult, type ThreadPage } from './comments.service.js';
import { SubmitCommentDto, SubmitCommentResponseDto } from './dto/submit-comment.dto.js';
import { CountsQueryDto, ThreadQueryDto } from './dto/thread-query.dto.js';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { CommentCountsDto, ThreadPageDto } from './dto/comment-responses.dto.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('public')
@Controller('v1')
export class CommentsController {
  constructor(
    private readonly comments: CommentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('sites/:siteId/articles/:articleId/comments')
  @HttpCode(202)
  @ApiRoute({
    summary: 'Submit a comment',
    operationId: 'submitComment',
    description: 'Committed when answered; spam and moderation run afterwards.',
    status: 202,
    type: SubmitCommentResponseDto,
    // 401: an invalid SSO identity (`/problems/invalid-identity`), or none where required.
    problems: [401, 403, 404, 409, 422, 429],
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  submit(
    @Param('siteId', SiteIdPipe) siteId: string,
    @Param('articleId', ArticleIdPipe) articleId: string,
    @Body() dto: SubmitCommentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<SubmitResult> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationFailedError([
        { field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' },
      ]);
    }
    return this.comments.submit(siteId, articleId, dto, {
      ip: request.ip ?? null,
      idempotencyKey: idempotencyKey ?? null,
    });
  }

  @Get('sites/:siteId/articles/:articleId/comments')
  @ApiRoute({
    summary: 'Read the published thread of an article',
    operationId: 'getThread',
    type: ThreadPageDto,
    etag: true,
    problems: [404],
  })
  async thread(
    @Param('siteId', SiteIdPipe) siteId: string,
    @Param('articleId', ArticleIdPipe) articleId: string,
    @Query() query: ThreadQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ThreadPage | Buffer | undefined> {
    const { etag, page } = await this.comments.readThread(siteId, articleId, query, ifNoneMatch);
    void reply
      .headers(edgeCacheHeaders(this.config.http.edgeCache, siteId, [articleId]))
      .header('etag', etag);
    if (!page) {
      void reply.status(304);
      return undefined;
    }
    // A cached page is already JSON.
    if (Buffer.isBuffer(page)) void reply.header('content-type', 'application/json; charset=utf-8');
    return page;
  }

  @Get('sites/:siteId/counts')
  @ApiRoute({
    summary: 'Count published comments of articles',
    operationId: 'getCounts',
    type: CommentCountsDto,
    problems: [404],
  })
  async counts(
    @Param('siteId', SiteIdPipe) siteId: string,
    @Query() query: CountsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ counts: Record<string, number> }> {
    const counts = await this.comments.counts(siteId, query.articles);
    void reply.headers(
      edgeCacheHeaders(this.config.http.edgeCache, siteId, Object.keys(counts.counts)),
    );
    return counts;
  }

  // GET comments/:id (the author's receipt view) is served by the trust module
  // (src/trust/trust-public.controller.ts), with the statement of reasons and the appeal.
}
