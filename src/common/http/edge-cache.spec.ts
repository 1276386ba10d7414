import { edgeCacheControl, edgeCacheHeaders, threadSurrogateKey } from './edge-cache.js';

const config = { sMaxAgeS: 60, staleWhileRevalidateS: 30 };

describe('edgeCacheHeaders', () => {
  it('lets a CDN keep a public read while browsers revalidate by ETag', () => {
    expect(edgeCacheControl(config)).toBe(
      'public, max-age=0, s-maxage=60, stale-while-revalidate=30',
    );
    expect(edgeCacheControl({ sMaxAgeS: 60, staleWhileRevalidateS: 0 })).toBe(
      'public, max-age=0, s-maxage=60',
    );
    expect(edgeCacheControl({ sMaxAgeS: 0, staleWhileRevalidateS: 30 })).toBe('no-cache');
  });

  it('names the site and each article, space-separated and comma-separated', () => {
    expect(edgeCacheHeaders(config, 'news', ['a-1', 'b:2'])).toEqual({
      'cache-control': 'public, max-age=0, s-maxage=60, stale-while-revalidate=30',
      'surrogate-key': 'site:news thread:news/a-1 thread:news/b:2',
      'cache-tag': 'site:news,thread:news/a-1,thread:news/b:2',
    });
  });

  it('falls back to the site key when the article keys would not fit a header', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `${'x'.repeat(190)}-${i}`);
    const headers = edgeCacheHeaders(config, 'news', ids);
    expect(headers['surrogate-key']).toBe('site:news');
    expect(headers['cache-tag']).toBe('site:news');
    expect(threadSurrogateKey('news', 'a-1')).toBe('thread:news/a-1');
  });
});
