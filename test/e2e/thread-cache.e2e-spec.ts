import { ThreadCache } from '../../src/comments/thread.cache.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { createTestApp, flushPrefix, redisClient, type TestApp } from '../utils/test-app.js';

describe('the published-thread cache', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await putSite(t, 'cached', { name: 'Cached', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(() => t.close());

  const publish = async (article: string, body: string) => {
    const res = await submit(t, article, makeComment({ body }), { siteId: 'cached' });
    await waitForStatus(t, res.body.id, ['approved']);
    return res.body.id as string;
  };

  it('serves the same page from the cache and drops it when the thread changes', async () => {
    const article = uniqueArticle();
    await publish(article, 'first');
    const cold = await thread(t, article, '', 'cached');
    const warm = await thread(t, article, '', 'cached');
    expect(warm.body).toEqual(cold.body);
    expect(warm.headers.etag).toBe(cold.headers.etag);
    expect(warm.headers['content-type']).toMatch(/^application\/json/);
    const redis = redisClient();
    try {
      const pages = await redis.hlen(`${t.config.redis.prefix}:thread:{cached/${article}}:pages`);
      expect(pages).toBe(1);
    } finally {
      redis.disconnect();
    }

    const second = await publish(article, 'second');
    const after = await thread(t, article, '', 'cached');
    expect(after.headers.etag).not.toBe(warm.headers.etag);
    expect(after.body.count).toBe(2);
    expect(after.body.comments.map((c: { id: string }) => c.id)).toContain(second);

    // A take-down is seen at once too.
    await t.http
      .post(`/v1/moderation/comments/${second}/decision`)
      .set(auth())
      .send({ action: 'reject' })
      .expect(200);
    expect((await thread(t, article, '', 'cached')).body.count).toBe(1);
  });

  it('never serves a page stored under an older generation', async () => {
    const article = uniqueArticle();
    await publish(article, 'one');
    const cache = t.app.get(ThreadCache);
    const before = await thread(t, article, '', 'cached');
    const generation = /W\/"g(\d+)-([\w-]+)"/.exec(before.headers.etag)!;
    await cache.invalidate('cached', article);
    // A reader that read before the change stores its page late: under the old generation.
    await cache.store('cached', article, generation[1], generation[2], '{"stale":true}');
    const now = await thread(t, article, '', 'cached');
    expect(now.body.stale).toBeUndefined();
    expect(now.body.count).toBe(1);
  });

  it('stays correct when Redis loses everything, and old ETags stop matching', async () => {
    const article = uniqueArticle();
    await publish(article, 'kept');
    const before = await thread(t, article, '', 'cached');
    const redis = redisClient();
    try {
      await flushPrefix(redis, t.config.redis.prefix);
    } finally {
      redis.disconnect();
    }
    const revalidate = await t.http
      .get(`/v1/sites/cached/articles/${article}/comments`)
      .set('If-None-Match', before.headers.etag);
    expect(revalidate.status).toBe(200);
    expect(revalidate.body).toEqual(before.body);
  });
});
