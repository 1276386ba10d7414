import type { FastifyReply, FastifyRequest } from 'fastify';
import { SitesService } from '../../sites/sites.service.js';
import { cachedEtag, etagMatches, threadVariant } from './thread-etag.js';
import { ThreadCache } from './thread.cache.js';

const THREAD_URL =
  /^\/v1\/sites\/([a-z0-9][a-z0-9-]{0,63})\/articles\/([A-Za-z0-9._~:-]{1,200})\/comments(?:\?(.*))?$/;
const CURSOR = /^[A-Za-z0-9_-]{1,2048}$/;

/** The query of an ordinary thread read, or null for anything the full route should judge. */
function plainQuery(search: string | undefined) {
  const query = {
    sort: 'oldest' as 'oldest' | 'newest' | 'top',
    limit: 50,
    cursor: undefined as string | undefined,
    featured: false,
  };
  if (!search) return query;
  for (const part of search.split('&')) {
    const [name, value = ''] = part.split('=');
    if (name === 'limit' && /^\d{1,3}$/.test(value) && +value >= 1 && +value <= 200) {
      query.limit = Number(value);
    } else if (name === 'sort' && (value === 'oldest' || value === 'newest' || value === 'top')) {
      query.sort = value;
    } else if (name === 'featured' && (value === 'true' || value === 'false')) {
      query.featured = value === 'true';
    } else if (name === 'cursor' && CURSOR.test(value)) query.cursor = value;
    else return null;
  }
  return query;
}

/** What the edge needs besides the cache: the site's CORS answer and the fixed headers. */
export interface FastPathEdge {
  /** The allowed origin for this request (the site's `allowedOrigins`), or null. */
  allowedOrigin(request: FastifyRequest): Promise<string | null>;
  /** Security headers every response carries. */
  headers: Record<string, string>;
}

/**
 * The hot read, first thing at the HTTP edge: a thread page the cache already has (or a 304
 * for it) is answered before any other hook, routing, validation and the controller — the
 * same bytes, ETag, security and CORS headers the full route would give (a test holds the two
 * together). Such answers write no request log line (at `info` a 2xx writes none anyway); the
 * metrics count them. Everything else (a miss, an unknown site, an unusual query, Redis down)
 * goes on to the route, which also fills the cache. Resolves true when it answered.
 */
export function threadFastPath(cache: ThreadCache, sites: SitesService, edge: FastPathEdge) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    if (request.method !== 'GET') return false;
    const match = THREAD_URL.exec(request.url);
    if (!match) return false;
    const query = plainQuery(match[3]);
    const [, siteId, articleId] = match;
    if (!query || !siteId || !articleId) return false;
    try {
      if (!(await sites.getCached(siteId))) return false;
      const variant = threadVariant(query);
      const cached = await cache.lookup(siteId, articleId, variant);
      if (!cached) return false; // not cached (perhaps no such article): the route decides
      const { generation, page } = cached;
      const etag = cachedEtag(generation, variant);
      const ifNoneMatch = request.headers['if-none-match'];
      const notModified = ifNoneMatch !== undefined && etagMatches(ifNoneMatch, etag);
      if (!notModified && !page) return false;
      void reply.headers(edge.headers).header('vary', 'Origin');
      if (request.headers.origin !== undefined) {
        const origin = await edge.allowedOrigin(request);
        if (origin) {
          void reply
            .header('access-control-allow-origin', origin)
            .header('access-control-expose-headers', 'ETag, Retry-After');
        }
      }
      void reply.header('etag', etag).header('cache-control', 'no-cache');
      if (notModified) {
        await reply.status(304).send();
        return true;
      }
      await reply.header('content-type', 'application/json; charset=utf-8').send(page);
      return true;
    } catch {
      return false; // the full route answers
    }
  };
}
