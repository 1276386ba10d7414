import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { createTestApp, dumpRedis, redisClient, type TestApp } from '../utils/test-app.js';

/** Issue 13: the smaller hardening items, each proved against the running app. */
describe('security hardening (issue 13)', () => {
  let t: TestApp;
  const redis = redisClient();

  beforeAll(async () => {
    t = await createTestApp();
    await putSite(t, 'harden', { name: 'Harden', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(async () => {
    redis.disconnect();
    await t.close();
  });

  describe('Redis growth from anonymous reads (item 7)', () => {
    it('creates no Redis key for reads of made-up article ids', async () => {
      const before = new Set((await dumpRedis(redis, t.config.redis.prefix)).keys());
      for (let i = 0; i < 300; i++) {
        const res = await thread(t, uniqueArticle('made-up'), i % 2 ? '?sort=newest' : '');
        expect(res.status).toBe(200);
        expect(res.body.comments).toEqual([]);
      }
      const after = [...(await dumpRedis(redis, t.config.redis.prefix)).keys()].filter(
        (key) => !before.has(key),
      );
      expect(after.filter((key) => key.includes('made-up'))).toEqual([]);
    });

    it('still caches the threads of articles that exist (ETag, 304)', async () => {
      const article = uniqueArticle('real');
      const res = await submit(t, article, makeComment(), { siteId: 'harden' });
      await waitForStatus(t, res.body.id, ['approved']);
      const first = await thread(t, article, '', 'harden');
      expect(first.body.comments).toHaveLength(1);
      const keys = [...(await dumpRedis(redis, t.config.redis.prefix)).keys()];
      expect(keys.filter((key) => key.includes(article))).toEqual(
        expect.arrayContaining([expect.stringMatching(/:gen$/), expect.stringMatching(/:pages$/)]),
      );
      const again = await t.http
        .get(`/v1/sites/harden/articles/${article}/comments`)
        .set('If-None-Match', first.headers.etag);
      expect(again.status).toBe(304);
    });
  });
});
