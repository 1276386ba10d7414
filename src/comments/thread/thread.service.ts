import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor.js';
import { SitesService } from '../../sites/sites.service.js';
import { ArticlesRepository, type ArticleState } from '../articles/articles.repository.js';
import { isClosed } from '../articles/articles.service.js';
import { isValidPath } from '../model/comment-path.js';
import { toThreadComment, type PublicComment } from '../views/comment-views.js';
import { cachedEtag, etagMatches, threadVariant } from './thread-etag.js';
import { ThreadRepository, type ThreadPosition, type ThreadSort } from './thread.repository.js';
import { ThreadCache } from './thread.cache.js';

export interface ThreadPage {
  siteId: string;
  articleId: string;
  count: number;
  /** No new comments are accepted (closed by an admin, or `closeAfterDays` passed). */
  closed: boolean;
  nextCursor: string | null;
  comments: PublicComment[];
}

export interface ThreadQuery {
  sort: ThreadSort;
  limit: number;
  cursor?: string;
  /** Only the featured comments (approved, featured by a moderator). */
  featured?: boolean;
}

/** The public thread: pages from the published-thread cache or PostgreSQL, with their ETag. */
@Injectable()
export class ThreadService {
  constructor(
    private readonly thread: ThreadRepository,
    private readonly articles: ArticlesRepository,
    private readonly sites: SitesService,
    private readonly threadCache: ThreadCache,
  ) {}

  /** The public thread: approved comments only, depth-first, keyset-paginated. */
  private async pageOf(
    siteId: string,
    articleId: string,
    article: ArticleState | null,
    query: ThreadQuery,
    closeAfterDays: number | null,
  ): Promise<ThreadPage> {
    const closed = isClosed(article, closeAfterDays);
    const empty: ThreadPage = {
      siteId,
      articleId,
      count: 0,
      closed,
      nextCursor: null,
      comments: [],
    };
    const kind = `thread:${query.sort}${query.featured ? ':featured' : ''}`;
    const after = query.cursor ? decodeThreadCursor(query.cursor, kind) : null;
    if (!article) return empty;
    const rows = await this.thread.findPublishedPage(
      siteId,
      articleId,
      query.sort,
      after,
      query.limit + 1,
      query.featured ?? false,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor(kind, {
            p: last.path,
            r: last.rootKey,
            ...(last.rootLikes !== undefined ? { s: last.rootLikes } : {}),
          })
        : null;
    return {
      siteId,
      articleId,
      count: article.approvedCount,
      closed,
      nextCursor,
      comments: page.map(toThreadComment),
    };
  }

  /**
   * The thread with its ETag; `page` is null when the client's `If-None-Match` still holds,
   * and the cached JSON bytes when the published-thread cache has it. Without Redis, the ETag
   * derives from the article's thread version in PostgreSQL (read before the page, so it is
   * never newer than what it labels).
   */
  async readThread(
    siteId: string,
    articleId: string,
    query: ThreadQuery,
    ifNoneMatch: string | undefined,
  ): Promise<{ etag: string; page: ThreadPage | Buffer | null }> {
    const { settings } = await this.sites.get(siteId);
    const closeAfterDays = settings.moderation.closeAfterDays;
    const variant = threadVariant(query);
    const cached = await this.threadCache.lookup(siteId, articleId, variant).catch(() => undefined);
    if (cached) {
      const etag = cachedEtag(cached.generation, variant);
      if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) return { etag, page: null };
      if (cached.page) return { etag, page: cached.page };
      const article = await this.articles.findArticle(siteId, articleId);
      const page = await this.pageOf(siteId, articleId, article, query, closeAfterDays);
      this.threadCache
        .store(siteId, articleId, cached.generation, variant, JSON.stringify(page))
        .catch(() => undefined);
      return { etag, page };
    }
    // Without Redis: likes change no thread version, so the ETag labels the page's content.
    const article = await this.articles.findArticle(siteId, articleId);
    if (cached === null && article) {
      // Redis is up but has no generation yet: only an article that exists gets one (reads of
      // made-up ids create no keys), then its page is cached as usual.
      const generation = await this.threadCache
        .ensureGeneration(siteId, articleId)
        .catch(() => null);
      if (generation !== null) {
        const etag = cachedEtag(generation, variant);
        if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) return { etag, page: null };
        const page = await this.pageOf(siteId, articleId, article, query, closeAfterDays);
        this.threadCache
          .store(siteId, articleId, generation, variant, JSON.stringify(page))
          .catch(() => undefined);
        return { etag, page };
      }
    }
    const page = await this.pageOf(siteId, articleId, article, query, closeAfterDays);
    const json = JSON.stringify(page);
    const etag = `W/"v${article?.threadVersion ?? '0'}-${variant}-${contentTag(json)}"`;
    if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) return { etag, page: null };
    return { etag, page: Buffer.from(json) };
  }
}

const MAX_INT4 = 2_147_483_647;

function decodeThreadCursor(cursor: string, kind: string): ThreadPosition {
  const { p, r, s } = decodeCursor<{ p: string; r: string; s?: number }>(
    kind,
    cursor,
    (v): v is { p: string; r: string; s?: number } =>
      typeof v.p === 'string' &&
      typeof v.r === 'string' &&
      isValidPath(v.p) &&
      isValidPath(v.r) &&
      // Likes are an int4 sum: a larger value can only be forged (and PostgreSQL would refuse it).
      (v.s === undefined ||
        (Number.isSafeInteger(v.s) && (v.s as number) >= 0 && (v.s as number) <= MAX_INT4)),
  );
  return { path: p, rootKey: r, rootLikes: s };
}

function contentTag(json: string): string {
  return createHash('sha1').update(json).digest('base64url').slice(0, 12);
}
