import type { FastifyReply, FastifyRequest } from 'fastify';
import { SitesService } from '../sites/sites.service.js';
import { cachedEtag, etagMatches, threadVariant } from './thread-etag.js';
import { ThreadCache } from './thread.cache.js';

const THREAD_URL =
  /^\/v1\/sites\/([a-z0-9][a-z0-9-]{0,63})\/articles\/([A-Za-z0-9._~:-]{1,200})\/comments(?:\?(.*))?$/;
const CURSOR = /^[A-Za-z0-9_-]{1,2048}$/;

/** The query of an ordinary thread read, or null for anything the full route should judge. */
function plainQuery(search: string | undefined) {
  const query = {
    sort: 'oldest' as 'oldest' | 'newest',
    limit: 50,
    cursor: undefined as string | undefined,
  };
  if (!search) return query;
  for (const part of search.split('&')) {
    const [name, value = ''] = part.split('=');
    if (name === 'limit' && /^\d{1,3}$/.test(value) && +value >= 1 && +value <= 200) {
      query.limit = Number(value);
    } else if (name === 'sort' && (value === 'oldest' || value === 'newest')) query.sort = value;
    else if (name === 'cursor' && CURSOR.test(value)) query.cursor = value;
    else return null;
  }
  return query;
}

/**
 * The hot read at the HTTP edge: a thread page the cache already has (or a 304 for it) is
 * answered from one Redis round trip, before routing, validation and the controller — the
 * same bytes and ETag the full route would produce. Everything else (a miss, an unknown site,
 * an unusual query, Redis down) goes on to the route, which also fills the cache.
 */
export function threadFastPath(cache: ThreadCache, sites: SitesService) {
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> => {
    if (request.method !== 'GET') return undefined;
    const match = THREAD_URL.exec(request.url);
    if (!match) return undefined;
    const query = plainQuery(match[3]);
    const [, siteId, articleId] = match;
    if (!query || !siteId || !articleId) return undefined;
    try {
      if (!(await sites.getCached(siteId))) return undefined;
      const variant = threadVariant(query);
      const { generation, page } = await cache.lookup(siteId, articleId, variant);
      const etag = cachedEtag(generation, variant);
      const ifNoneMatch = request.headers['if-none-match'];
      void reply.header('etag', etag).header('cache-control', 'no-cache');
      if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) {
        await reply.status(304).send();
        return reply;
      }
      if (!page) return undefined;
      await reply.header('content-type', 'application/json; charset=utf-8').send(page);
      return reply;
    } catch {
      return undefined; // the full route answers
    }
  };
}
