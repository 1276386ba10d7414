import { Controller, Get, Headers, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ArticleIdPipe, SiteIdPipe } from '../../common/http/params.js';
import { LiveCommentsService } from './live-comments.service.js';
import { SseSink } from '../../common/http/sse-sink.js';
import { ApiRoute } from '../../common/openapi/api-route.decorator.js';

@ApiTags('public')
@Controller('v1')
export class CommentStreamController {
  constructor(private readonly live: LiveCommentsService) {}

  /** Server-Sent Events: each newly published comment of the article. */
  @Get('sites/:siteId/articles/:articleId/comments/stream')
  @ApiRoute({
    summary: 'Follow newly published comments (Server-Sent Events)',
    operationId: 'streamThread',
    eventStream: '`event: comment.approved`, `id: <sequence>`, `data: <public comment>`',
    // 429: too many open streams from this client, or in all (SSE_MAX_STREAMS*).
    problems: [404, 429],
  })
  stream(
    @Param('siteId', SiteIdPipe) siteId: string,
    @Param('articleId', ArticleIdPipe) articleId: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.live.stream(
      siteId,
      articleId,
      lastEventId,
      (retryMs) => SseSink.open(reply, retryMs),
      request.ip ?? null,
    );
  }
}
