import { ThreadNearCache } from './thread-near-cache.js';

const page = (text: string) => Buffer.from(text);

describe('ThreadNearCache', () => {
  const make = (maxBytes = 1000) => new ThreadNearCache({ ttlMs: 1000, maxBytes });

  it('serves a remembered page until the generation is too old to believe', () => {
    const cache = make();
    cache.remember('s/a', '7', 'v1', page('{"n":1}'), cache.version, 10_000);
    expect(cache.get('s/a', 'v1', 10_500)).toEqual({ generation: '7', page: page('{"n":1}') });
    expect(cache.get('s/a', 'v2', 10_500)).toEqual({ generation: '7', page: null });
    expect(cache.get('s/a', 'v1', 11_000)).toBeNull();
    expect(cache.size).toEqual({ articles: 0, bytes: 0 });
  });

  it('forgets an article on drop and everything on clear', () => {
    const cache = make();
    cache.remember('s/a', '1', 'v', page('a'), cache.version);
    cache.remember('s/b', '1', 'v', page('b'), cache.version);
    cache.drop('s/a');
    expect(cache.get('s/a', 'v')).toBeNull();
    expect(cache.get('s/b', 'v')?.page).toEqual(page('b'));
    cache.clear();
    expect(cache.get('s/b', 'v')).toBeNull();
  });

  it('refuses an answer that an invalidation overtook', () => {
    const cache = make();
    const askedAt = cache.version;
    cache.drop('s/a'); // the thread changed while Redis was being asked
    cache.remember('s/a', '1', 'v', page('old'), askedAt);
    expect(cache.get('s/a', 'v')).toBeNull();
  });

  it('keeps pages of the generation it holds only', () => {
    const cache = make();
    cache.remember('s/a', '1', 'v', null, cache.version);
    cache.add('s/a', '0', 'v', page('stale'));
    expect(cache.get('s/a', 'v')?.page).toBeNull();
    cache.add('s/a', '1', 'v', page('fresh'));
    expect(cache.get('s/a', 'v')?.page).toEqual(page('fresh'));
    // A newer generation from Redis replaces the article's pages.
    cache.remember('s/a', '2', 'w', null, cache.version);
    expect(cache.get('s/a', 'v')).toEqual({ generation: '2', page: null });
  });

  it('evicts the least recently read articles beyond its byte budget', () => {
    const cache = make(10);
    cache.remember('s/a', '1', 'v', page('aaaa'), cache.version);
    cache.remember('s/b', '1', 'v', page('bbbb'), cache.version);
    cache.get('s/a', 'v'); // a is now the most recently read
    cache.remember('s/c', '1', 'v', page('cccc'), cache.version);
    expect(cache.get('s/b', 'v')).toBeNull();
    expect(cache.get('s/a', 'v')?.page).toEqual(page('aaaa'));
    expect(cache.get('s/c', 'v')?.page).toEqual(page('cccc'));
    expect(cache.size.bytes).toBeLessThanOrEqual(10);
  });
});
