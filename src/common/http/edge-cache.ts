import type { EdgeCacheConfig } from '../../config/app.config.js';

/**
 * Public reads (a thread page, comment counts) are the same for every reader, so a CDN or
 * Varnish in front can answer them. Browsers revalidate (`max-age=0`, then a 304 by ETag) but
 * may show a stale page during `stale-while-revalidate` (the widget asks with
 * `cache: 'no-cache'`, so it always revalidates); shared caches keep a response `s-maxage`
 * seconds and serve it a little longer while they revalidate. Each response names the articles it shows in `Surrogate-Key`
 * (Fastly, Varnish xkey; space-separated) and `Cache-Tag` (Cloudflare, Akamai;
 * comma-separated), so that a purger can drop exactly those when a comment is published or
 * taken down: every comment event carries the same keys in `data.surrogateKeys`.
 */

/** The key of everything public about one article's thread (its pages and its count). */
export function threadSurrogateKey(siteId: string, articleId: string): string {
  return `thread:${siteId}/${articleId}`;
}

/** The key of every public read of a site (to purge a whole site at once). */
export function siteSurrogateKey(siteId: string): string {
  return `site:${siteId}`;
}

/** Above this, a counts response names only its site (CDNs cap the header; 16 KB at most). */
const MAX_KEYS_LENGTH = 8 * 1024;

/** `Cache-Control` for a public read under this policy. */
export function edgeCacheControl(config: EdgeCacheConfig): string {
  if (config.sMaxAgeS === 0) return 'no-cache';
  return (
    `public, max-age=0, s-maxage=${config.sMaxAgeS}` +
    (config.staleWhileRevalidateS > 0
      ? `, stale-while-revalidate=${config.staleWhileRevalidateS}`
      : '')
  );
}

/**
 * The headers of a public read of these articles of a site: `Cache-Control`, `Surrogate-Key`
 * and `Cache-Tag`. Too many (long) article ids for one header: only the site's key, and the
 * response then lives at most `s-maxage` after a change (nothing purges it sooner).
 */
export function edgeCacheHeaders(
  config: EdgeCacheConfig,
  siteId: string,
  articleIds: readonly string[],
): Record<string, string> {
  let keys = [siteSurrogateKey(siteId), ...articleIds.map((a) => threadSurrogateKey(siteId, a))];
  if (keys.reduce((n, key) => n + key.length + 1, 0) > MAX_KEYS_LENGTH) {
    keys = [siteSurrogateKey(siteId)];
  }
  return {
    'cache-control': edgeCacheControl(config),
    'surrogate-key': keys.join(' '),
    'cache-tag': keys.join(','),
  };
}
