import { Queue } from 'bullmq';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread } from '../utils/api.js';
import {
  createTestApp,
  flushPrefix,
  redisClient,
  waitFor,
  type TestApp,
} from '../utils/test-app.js';

const FAST_SWEEP = { PENDING_SWEEP_AFTER_S: '1', SWEEP_INTERVAL_MS: '200' };

describe('nothing accepted is lost when Redis loses everything', () => {
  let api: TestApp;
  let worker: TestApp | undefined;

  beforeAll(async () => {
    api = await createTestApp({ role: 'api', env: FAST_SWEEP });
    await putSite(api, 'news', { name: 'News', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
  });

  it('runs api and worker as separate roles, and the sweeper re-queues after a Redis flush', async () => {
    const article = uniqueArticle();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await submit(api, article, makeComment({ body: `comment ${i}` }), {
        siteId: 'news',
      });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    const redis = redisClient();
    try {
      // An api process consumes no jobs: once all five wait in the spam queue, they stay there
      // and every comment stays pending.
      const spam = new Queue('spam', { connection: redis, prefix: api.config.redis.prefix });
      try {
        const counts = await waitFor(
          async () => {
            const n = await spam.getJobCounts();
            return (n.waiting ?? 0) + (n.prioritized ?? 0) === ids.length ? n : null;
          },
          { what: 'the five spam jobs to be queued' },
        );
        expect([counts.active, counts.completed, counts.failed]).toEqual([0, 0, 0]);
      } finally {
        await spam.close();
      }
      for (const id of ids) {
        const item = await api.http.get(`/v1/moderation/comments/${id}`).set(auth());
        expect(item.body.status).toBe('pending');
      }
      expect(await flushPrefix(redis, api.config.redis.prefix)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }

    worker = await createTestApp({ role: 'worker', shareWith: api, env: FAST_SWEEP });
    // The worker serves health and metrics only.
    expect((await worker.http.get('/health/live')).status).toBe(200);
    expect((await worker.http.get(`/v1/sites/news/articles/${article}/comments`)).status).toBe(404);

    const page = await waitFor(
      async () => {
        const res = await thread(api, article, '', 'news');
        return res.body.count === ids.length ? res.body : null;
      },
      { timeoutMs: 15_000, what: 'all swept comments to be published' },
    );
    expect(page.comments.map((c: { id: string }) => c.id).sort()).toEqual([...ids].sort());
  });
});
