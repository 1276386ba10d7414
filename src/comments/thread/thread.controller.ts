import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ArticleIdPipe, SiteIdPipe } from '../../common/http/params.js';
import { ApiRoute } from '../../common/openapi/api-route.decorator.js';
import { ArticlesService } from '../articles/articles.service.js';
import { CommentCountsDto, ThreadPageDto } from '../views/comment-responses.dto.js';
import { CountsQueryDto, ThreadQueryDto } from './dto/thread-query.dto.js';
import { ThreadService, type ThreadPage } from './thread.service.js';

/** The public reads: a thread page (with its ETag) and published counts of articles. */
@ApiTags('public')
@Controller('v1')
export class ThreadController {
  constructor(
    private readonly threads: ThreadService,
    private readonly articles: ArticlesService,
  ) {}

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
    const { etag, page } = await this.threads.readThread(siteId, articleId, query, ifNoneMatch);
    void reply.header('etag', etag).header('cache-control', 'no-cache');
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
  counts(
    @Param('siteId', SiteIdPipe) siteId: string,
    @Query() query: CountsQueryDto,
  ): Promise<{ counts: Record<string, number> }> {
    return this.articles.counts(siteId, query.articles);
  }
}
