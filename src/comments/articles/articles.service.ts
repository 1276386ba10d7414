import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import type { Principal } from '../../auth/principal.js';
import { ValidationFailedError } from '../../common/errors/domain.errors.js';
import { ARTICLE_ID_PATTERN } from '../../common/http/identifiers.js';
import { SitesService } from '../../sites/sites.service.js';
import { ThreadCache } from '../thread/thread.cache.js';
import { ArticlesRepository, type ArticleState } from './articles.repository.js';

const MAX_COUNT_IDS = 100;

export interface ArticleView {
  siteId: string;
  articleId: string;
  closed: boolean;
  count: number;
  firstCommentAt: string | null;
}

/** Articles: published counts, closing and reopening a thread. */
@Injectable()
export class ArticlesService {
  constructor(
    private readonly articles: ArticlesRepository,
    private readonly sites: SitesService,
    private readonly audit: AuditService,
    private readonly threadCache: ThreadCache,
  ) {}

  async counts(siteId: string, articlesParam: string): Promise<{ counts: Record<string, number> }> {
    const ids = [
      ...new Set(
        articlesParam
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    if (ids.length === 0 || ids.length > MAX_COUNT_IDS) {
      throw new ValidationFailedError([
        { field: 'articles', message: `articles must list 1 to ${MAX_COUNT_IDS} article ids` },
      ]);
    }
    const bad = ids.find((id) => !ARTICLE_ID_PATTERN.test(id));
    if (bad !== undefined) {
      throw new ValidationFailedError([
        { field: 'articles', message: 'each article id must match ^[A-Za-z0-9._~:-]{1,200}$' },
      ]);
    }
    await this.sites.get(siteId);
    const found = await this.articles.countsFor(siteId, ids);
    return { counts: Object.fromEntries(ids.map((id) => [id, found.get(id) ?? 0])) };
  }

  async setArticleClosed(
    principal: Principal,
    siteId: string,
    articleId: string,
    closed: boolean,
  ): Promise<ArticleView> {
    await this.sites.get(siteId);
    const article = await this.articles.setArticleClosed(siteId, articleId, closed);
    // The thread says whether it is closed.
    await this.threadCache.invalidate(siteId, articleId).catch(() => undefined);
    await this.audit.record({
      actor: principal.actor,
      action: closed ? 'article.close' : 'article.open',
      targetType: 'article',
      targetId: articleId,
      siteId,
    });
    return {
      siteId,
      articleId,
      closed: article.closed,
      count: article.approvedCount,
      firstCommentAt: article.firstCommentAt?.toISOString() ?? null,
    };
  }
}

/** Closed by an admin, or `closeAfterDays` after the article's first comment. */
export function isClosed(
  article: Pick<ArticleState, 'closed' | 'firstCommentAt'> | null,
  closeAfterDays: number | null,
  now = Date.now(),
): boolean {
  if (!article) return false;
  if (article.closed) return true;
  if (closeAfterDays === null || !article.firstCommentAt) return false;
  return now >= article.firstCommentAt.getTime() + closeAfterDays * 24 * 3600 * 1000;
}
