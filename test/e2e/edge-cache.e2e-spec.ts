import { ThreadCache } from '../../src/comments/thread/thread.cache.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { createTestApp, waitFor, type TestApp } from '../utils/test-app.js';

/** Issue 16: public reads a CDN may cache, and what a purger needs to drop them. */
describe('public reads behind a CDN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { EDGE_CACHE_S_MAXAGE: '120', EDGE_CACHE_STALE_S: '15' } });
    await putSite(t, 'edge', { name: 'Edge', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(() => t.close());

  const CACHE_CONTROL = 'public, max-age=0, s-maxage=120, stale-while-revalidate=15';

  it('gives a thread page, from the route, the cache and as a 304, the CDN headers', async () => {
    const article = uniqueArticle();
    const res = await submit(t, article, makeComment(), { siteId: 'edge' });
    await waitForStatus(t, res.body.id as string, ['approved']);
    await t.app.get(ThreadCache).invalidate('edge', article);
    const route = await thread(t, article, '', 'edge'); // a miss: the controller answers
    const edge = await thread(t, article, '', 'edge'); // the cached page, at the edge
    const notModified = await t.http
      .get(`/v1/sites/edge/articles/${article}/comments`)
      .set('If-None-Match', route.headers.etag);
    expect(notModified.status).toBe(304);
    for (const answer of [route, edge, notModified]) {
      expect(answer.headers['cache-control']).toBe(CACHE_CONTROL);
      expect(answer.headers['surrogate-key']).toBe(`site:edge thread:edge/${article}`);
      expect(answer.headers['cache-tag']).toBe(`site:edge,thread:edge/${article}`);
      expect(answer.headers.etag).toBe(route.headers.etag);
    }
    // Another query of the same article (a different cache entry) has the same keys.
    const newest = await thread(t, article, '?sort=newest&limit=10', 'edge');
    expect(newest.headers['surrogate-key']).toBe(`site:edge thread:edge/${article}`);
  });

  it('names every article of a counts response', async () => {
    const res = await t.http.get('/v1/sites/edge/counts?articles=a-1,b-2').expect(200);
    expect(res.body).toEqual({ counts: { 'a-1': 0, 'b-2': 0 } });
    expect(res.headers['cache-control']).toBe(CACHE_CONTROL);
    expect(res.headers['surrogate-key']).toBe('site:edge thread:edge/a-1 thread:edge/b-2');
    expect(res.headers['cache-tag']).toBe('site:edge,thread:edge/a-1,thread:edge/b-2');
  });

  it('keeps errors and writes out of shared caches', async () => {
    const missing = await t.http.get(`/v1/sites/no-such-site/articles/a/comments`);
    expect(missing.status).toBe(404);
    expect(missing.headers['surrogate-key']).toBeUndefined();
    expect(missing.headers['cache-control'] ?? '').not.toMatch(/public/);
    const accepted = await submit(t, uniqueArticle(), makeComment(), { siteId: 'edge' });
    expect(accepted.status).toBe(202);
    expect(accepted.headers['surrogate-key']).toBeUndefined();
    expect(accepted.headers['cache-control'] ?? '').not.toMatch(/public/);
  });

  it('puts the keys to purge in the comment.approved event (data.surrogateKeys)', async () => {
    const article = uniqueArticle();
    const res = await submit(t, article, makeComment(), { siteId: 'edge' });
    const id = res.body.id as string;
    await waitForStatus(t, id, ['approved']);
    const approved = await waitFor(
      async () => {
        const page = await t.http.get('/v1/events?after=0&limit=1000').set(auth()).expect(200);
        const events = page.body.events as Array<{
          type: string;
          subject: string;
          data: { surrogateKeys?: string[] };
        }>;
        return events.find((e) => e.type === 'comment.approved' && e.subject === `comments/${id}`);
      },
      { timeoutMs: 10_000, what: `the comment.approved event of ${id}` },
    );
    const read = await thread(t, article, '', 'edge');
    const headerKeys = read.headers['surrogate-key'].split(' ');
    expect(approved.data.surrogateKeys).toEqual([`thread:edge/${article}`, 'site:edge']);
    // Purging the event's first key drops every response that showed this article.
    expect(headerKeys).toContain(approved.data.surrogateKeys?.[0]);
  });
});
