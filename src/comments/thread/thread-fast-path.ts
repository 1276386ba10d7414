import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RawAnswer } from '../../common/http/raw-server.js';
import { etagMatches } from '../../common/http/etag.js';
import { REQUEST_ID_HEADER, requestId } from '../../common/logging/request-id.js';
import type { Site, SitesService } from '../../sites/sites.service.js';
import { cachedEtag, threadVariant } from './thread-etag.js';
import type { ThreadCache } from './thread.cache.js';

const THREAD_URL =
  /^\/v1\/sites\/([a-z0-9][a-z0-9-]{0,63})\/articles\/([A-Za-z0-9._~:-]{1,200})\/comments(?:\?(.*))?$/;
const CURSOR = /^[A-Za-z0-9_-]{1,2048}$/;
/** The full route's path, its `routeOptions.url`: the metrics label of the thread read. */
export const THREAD_ROUTE = '/v1/sites/:siteId/articles/:articleId/comments';
/** Parsed request targets kept (a URL is parsed, its variant hashed, once until cleared). */
const MAX_TARGETS = 10_000;

/** The query of an ordinary thread read, or null for anything the full route should judge. */
export function plainQuery(search: string | undefined) {
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

/** What the raw read needs besides the caches: the fixed headers, CORS, shutdown, metrics. */
export interface FastPathEdge {
  /** Security headers every response carries. */
  headers: Readonly<Record<string, string>>;
  /** `Cache-Control`, `Surrogate-Key` and `Cache-Tag` of an article's thread (edge-cache.ts). */
  cacheHeaders(siteId: string, articleId: string): Record<string, string>;
  /** Whether the site allows this origin (its `allowedOrigins`, as the CORS policy says). */
  allowsOrigin(site: Site, origin: string): boolean;
  /** True once the app is closing: an answer then ends its connection. */
  closing(): boolean;
  /** Counts an answer in the HTTP metrics (status, seconds). */
  observe(status: 200 | 304, seconds: number): void;
}

/** One thread-read URL, parsed once, with what its answers share. */
interface Target {
  siteId: string;
  articleId: string;
  variant: string;
  /** `Cache-Control`, `Surrogate-Key`, `Cache-Tag` as raw header pairs. */
  edge: string[];
  /** The last generation seen and what depends on it alone. */
  generation: string;
  etag: string;
  /** The headers after CORS of a 304 of this generation: edge, ETag. */
  tail304: string[];
  /** Those of a 200: edge, ETag, content type and length (of `page`). */
  tail200: string[];
  page: Buffer | null;
}

const CORS_EXPOSE = ['access-control-expose-headers', 'ETag, Retry-After'];
const CONNECTION_CLOSE = ['connection', 'close'];

/**
 * The hot read, below Fastify: a thread page the cache already has (or a 304 for it) is
 * answered from the Node.js request listener (`rawServerFactory`), before Fastify's routing,
 * hooks, Nest and the controller — the same status, bytes, ETag, security, CORS and edge cache
 * headers as the full route (a test holds the two together), written with one `writeHead` of
 * headers precomputed per URL and per cache generation. Such answers write no request log line
 * (at `info` a 2xx writes none anyway); the metrics count them under the route's label.
 * Everything else (not a plain GET of a thread, a miss, an unknown site, Redis down, the app
 * closing) goes to Fastify unchanged, and the route fills the cache on a miss.
 */
export function threadFastPath(
  cache: ThreadCache,
  sites: SitesService,
  edge: FastPathEdge,
): RawAnswer {
  const head: string[] = Object.entries(edge.headers).flat();
  head.push('vary', 'Origin');
  const targets = new Map<string, Target | null>();

  const parse = (url: string): Target | null => {
    const match = THREAD_URL.exec(url);
    if (!match) return null;
    const [, siteId, articleId, search] = match;
    const query = plainQuery(search);
    if (!query || !siteId || !articleId) return null;
    return {
      siteId,
      articleId,
      variant: threadVariant(query),
      edge: Object.entries(edge.cacheHeaders(siteId, articleId)).flat(),
      generation: '',
      etag: '',
      tail304: [],
      tail200: [],
      page: null,
    };
  };

  const answer = async (
    target: Target,
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
  ): Promise<boolean> => {
    const site = await sites.getCached(target.siteId);
    if (!site) return false;
    const cached = await cache.lookup(target.siteId, target.articleId, target.variant);
    if (!cached) return false; // not cached (perhaps no such article): the route decides
    const { generation, page } = cached;
    if (target.generation !== generation) {
      target.generation = generation;
      target.etag = cachedEtag(generation, target.variant);
      target.tail304 = [...target.edge, 'etag', target.etag];
      target.page = null;
    }
    const ifNoneMatch = req.headers['if-none-match'];
    const notModified =
      ifNoneMatch !== undefined &&
      (ifNoneMatch === target.etag || etagMatches(ifNoneMatch, target.etag));
    if (!notModified && !page) return false;
    if (!notModified && target.page !== page) {
      target.page = page;
      target.tail200 = [
        ...target.tail304,
        'content-type',
        'application/json; charset=utf-8',
        'content-length',
        String(page!.length),
      ];
    }
    const origin = req.headers.origin;
    const cors = origin !== undefined && edge.allowsOrigin(site, origin);
    const headers = [REQUEST_ID_HEADER, requestId(req)].concat(
      head,
      cors ? ['access-control-allow-origin', origin, ...CORS_EXPOSE] : [],
      notModified ? target.tail304 : target.tail200,
      edge.closing() ? CONNECTION_CLOSE : [],
    );
    if (notModified) {
      res.writeHead(304, headers).end();
      edge.observe(304, (performance.now() - started) / 1000);
    } else {
      res.writeHead(200, headers).end(page);
      edge.observe(200, (performance.now() - started) / 1000);
    }
    return true;
  };

  return (req, res, fallback) => {
    const url = req.url;
    if (req.method !== 'GET' || url === undefined || !url.startsWith('/v1/sites/')) return false;
    const { headers } = req;
    const bodyless =
      headers['transfer-encoding'] === undefined &&
      (headers['content-length'] === undefined || headers['content-length'] === '0');
    if (!bodyless || edge.closing()) return false; // Fastify answers (a 503 once closing)
    let target = targets.get(url);
    if (target === undefined) {
      target = parse(url);
      if (targets.size >= MAX_TARGETS) targets.clear();
      targets.set(url, target);
    }
    if (target === null) return false;
    const started = performance.now();
    void answer(target, req, res, started)
      // Nothing written yet: the full route answers (it reads PostgreSQL if Redis failed).
      .catch(() => res.headersSent)
      .then((answered) => answered || fallback());
    return true;
  };
}
