import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { ArticleIdPipe, SiteIdPipe } from '../../common/http/params.js';
import { PutArticleDto } from '../../sites/dto/put-site.dto.js';
import { ArticlesService, type ArticleView } from './articles.service.js';
import { ApiRoute } from '../../common/openapi/api-route.decorator.js';
import { ArticleDto } from '../views/comment-responses.dto.js';

@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/sites/:siteId/articles')
export class ArticlesController {
  constructor(private readonly articles: ArticlesService) {}

  /** Opens or closes an article for new comments. */
  @Put(':articleId')
  @ApiRoute({
    summary: 'Open or close an article',
    operationId: 'putArticle',
    type: ArticleDto,
    problems: [404],
  })
  put(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId', SiteIdPipe) siteId: string,
    @Param('articleId', ArticleIdPipe) articleId: string,
    @Body() dto: PutArticleDto,
  ): Promise<ArticleView> {
    return this.articles.setArticleClosed(principal, siteId, articleId, dto.closed);
  }
}
