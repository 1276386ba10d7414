import type { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { LocalThreadCache } from '../../src/comments/thread/thread-local.cache.js';
import {
  NEAR_CACHE_TTL_MS,
  RedisThreadCache,
  ThreadCache,
} from '../../src/comments/thread/thread.cache.js';
import { ThreadService } from '../../src/comments/thread/thread.service.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { RedisKeys } from '../../src/redis/redis-keys.js';
import { RedisPubSub } from '../../src/redis/redis-pubsub.js';
import { PostgresPubSub } from '../../src/transport/postgres-pub-sub.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { waitForRelayed } from '../utils/events.js';
import {
  createTestApp,
  flushPrefix,
  itOnPostgres,
  itOnRedis,
  redisClient,
  waitFor,
  type TestApp,
} from '../utils/test-app.js';

describe('the published-thread cache', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await putSite(t, 'cached', { name: 'Cached', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(() => t.close());

  const publish = async (article: string, body: string, siteId = 'cached') => {
    const res = await submit(t, article, makeComment({ body }), { siteId });
    const id = res.body.id as string;
    await waitForStatus(t, id, ['approved']);
    await relayed(id);
    return id;
  };

  const relayed = (id: string) => waitForRelayed(t, id);

  it('serves the same page from the cache and drops it when the thread changes', async () => {
    const article = uniqueArticle();
    await publish(article, 'first');
    const cold = await thread(t, article, '', 'cached');
    const warm = await thread(t, article, '', 'cached');
    expect(warm.body).toEqual(cold.body);
    expect(warm.headers.etag).toBe(cold.headers.etag);
    expect(warm.headers['content-type']).toMatch(/^application\/json/);
    // A cache generation's ETag (without the cache it would be the thread version's, `W/"v…`).
    expect(warm.headers.etag).toMatch(/^W\/"g\d+-/);
    if (t.config.transport === 'redis') {
      const redis = redisClient();
      try {
        const key = `${t.config.redis.prefix}:thread:{cached/${article}}:pages`;
        expect(await redis.hlen(key)).toBe(1);
      } finally {
        redis.disconnect();
      }
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

  it('answers a cached page with the same headers as the route: security, CORS, ETag', async () => {
    await putSite(t, 'cached-cors', {
      name: 'Cached CORS',
      allowedOrigins: ['https://news.example'],
      settings: { moderation: { mode: 'post' } },
    });
    const article = uniqueArticle();
    // Published and relayed: the relay's own invalidation must not fall between two reads.
    await publish(article, 'with CORS', 'cached-cors');
    const url = `/v1/sites/cached-cors/articles/${article}/comments`;
    const read = (origin?: string) => {
      const req = t.http.get(url);
      return origin ? req.set('Origin', origin) : req;
    };
    const HEADERS = [
      'access-control-allow-origin',
      'access-control-expose-headers',
      'vary',
      'content-security-policy',
      'x-content-type-options',
      'content-type',
      'cache-control',
      'surrogate-key',
      'cache-tag',
    ];
    const pick = (headers: Record<string, string>) =>
      Object.fromEntries(HEADERS.map((h) => [h, headers[h]]));
    for (const origin of ['https://news.example', 'https://evil.example', undefined]) {
      await invalidateAndWait(t, 'cached-cors', article);
      const route = await read(origin); // a miss: the controller answers and fills the cache
      const edge = await read(origin); // the fast path answers
      expect(edge.headers.etag).toBe(route.headers.etag);
      expect(edge.body).toEqual(route.body);
      expect(pick(edge.headers)).toEqual(pick(route.headers));
      expect(edge.headers['x-request-id']).toBeDefined();
    }
    expect((await read('https://news.example')).headers['access-control-allow-origin']).toBe(
      'https://news.example',
    );
    expect((await read('https://evil.example')).headers['access-control-allow-origin']).toBe(
      undefined,
    );
  });

  it('answers cached reads below Fastify; a miss, a HEAD go to the route', async () => {
    const article = uniqueArticle();
    await publish(article, 'raw');
    const service = t.app.get(ThreadService);
    // Counts the route's reads (the controller's call), to tell which layer answered.
    const original = service.readThread;
    let routed = 0;
    service.readThread = function (this: ThreadService, ...args) {
      routed++;
      return original.apply(this, args);
    };
    const counted = async (status: number) => {
      const metric = await t.app
        .get(MetricsService)
        .registry.getSingleMetric('http_request_duration_seconds')!
        .get();
      const values = metric.values as Array<
        (typeof metric.values)[number] & { metricName?: string }
      >;
      const sample = values.find(
        (v) =>
          v.metricName === 'http_request_duration_seconds_count' &&
          v.labels.route === '/v1/sites/:siteId/articles/:articleId/comments' &&
          v.labels.method === 'GET' &&
          v.labels.status === String(status),
      );
      return sample?.value ?? 0;
    };
    try {
      await invalidateAndWait(t, 'cached', article);
      const before200 = await counted(200);
      const before304 = await counted(304);
      const miss = await thread(t, article, '', 'cached');
      expect(routed).toBe(1); // the route answered and filled the cache
      const url = `/v1/sites/cached/articles/${article}/comments`;
      const hit = await t.http.get(url).set('x-request-id', 'edge-proxy.42');
      expect(routed).toBe(1); // answered below Fastify
      expect(hit.text).toBe(miss.text);
      expect(hit.headers.etag).toBe(miss.headers.etag);
      expect(hit.headers['x-request-id']).toBe('edge-proxy.42');
      const notModified = await t.http.get(url).set('If-None-Match', hit.headers.etag);
      expect(notModified.status).toBe(304);
      expect(notModified.text).toBe('');
      expect(routed).toBe(1);
      // Both kinds of answer count under the route's label (the route's own after its response).
      await waitFor(async () => (await counted(200)) === before200 + 2, {
        what: 'both 200s to be counted',
      });
      expect(await counted(304)).toBe(before304 + 1);

      const head = await t.http.head(url);
      expect(head.status).toBe(200);
      expect(head.headers.etag).toBe(hit.headers.etag);
      expect(routed).toBe(2); // HEAD is Fastify's
    } finally {
      service.readThread = original;
    }
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

  itOnRedis('stays correct when Redis loses everything, and old ETags stop matching', async () => {
    const article = uniqueArticle();
    await publish(article, 'kept');
    const before = await thread(t, article, '', 'cached');
    const redis = redisClient();
    try {
      await flushPrefix(redis, t.config.redis.prefix);
    } finally {
      redis.disconnect();
    }
    // The process may still believe the old generation for a moment: the thread is unchanged.
    const meanwhile = await thread(t, article, '', 'cached');
    expect(meanwhile.body).toEqual(before.body);
    // Once its near cache lapses (NEAR_CACHE_TTL_MS), the old ETag no longer matches.
    const revalidate = await waitFor(
      async () => {
        const res = await t.http
          .get(`/v1/sites/cached/articles/${article}/comments`)
          .set('If-None-Match', before.headers.etag);
        return res.status === 200 ? res : null;
      },
      { timeoutMs: NEAR_CACHE_TTL_MS + 5_000, what: 'the old ETag to stop matching' },
    );
    expect(revalidate.body).toEqual(before.body);
  });

  itOnRedis(
    'serves hot pages from memory and sees a change made by another process at once',
    async () => {
      const article = uniqueArticle();
      await publish(article, 'hot');
      const first = await thread(t, article, '', 'cached');
      await thread(t, article, '', 'cached'); // now in this process's memory
      // A page stored in Redis only (as another process would) is not what memory serves…
      const generation = /W\/"g(\d+)-([\w-]+)"/.exec(first.headers.etag)!;
      const redis = redisClient();
      try {
        const pages = `${t.config.redis.prefix}:thread:{cached/${article}}:pages`;
        await redis.hset(pages, `${generation[1]}|${generation[2]}`, '{"from":"redis"}');
        const fromMemory = await thread(t, article, '', 'cached');
        expect(fromMemory.body).toEqual(first.body);

        // …and an invalidation by another process (its own connection) reaches memory too.
        const keys = new RedisKeys(t.config.redis.prefix);
        const logger = { warn: () => undefined } as unknown as PinoLogger;
        const other = new RedisThreadCache(
          redis,
          keys,
          new RedisPubSub(redis, keys, t.config, logger),
        );
        await other.invalidate('cached', article);
        await eventuallyEtagChanges(article, first.headers.etag);
      } finally {
        redis.disconnect();
      }
    },
  );

  itOnPostgres('sees a change made by another process at once (LISTEN/NOTIFY)', async () => {
    const article = uniqueArticle();
    await publish(article, 'hot');
    const first = await thread(t, article, '', 'cached');
    const again = await thread(t, article, '', 'cached');
    expect(again.headers.etag).toBe(first.headers.etag); // served from memory
    const pubsub = new PostgresPubSub(t.app.get(DataSource), {
      url: t.config.database.url,
      prefix: t.config.redis.prefix,
      applicationName: 'other-process',
    });
    try {
      await new LocalThreadCache(pubsub).invalidate('cached', article);
      await eventuallyEtagChanges(article, first.headers.etag);
    } finally {
      await pubsub.onApplicationShutdown();
    }
  });

  const eventuallyEtagChanges = async (article: string, etag: string) => {
    const res = await waitFor(
      async () => {
        const page = await thread(t, article, '', 'cached');
        return page.headers.etag !== etag ? page : null;
      },
      { timeoutMs: 500, intervalMs: 10, what: "the other process's invalidation to be seen" },
    );
    expect(res.body.count).toBe(1);
  };
});

/** Drops the article's cached pages (as a change would) so that the next read is a miss. */
async function invalidateAndWait(t: TestApp, siteId: string, articleId: string): Promise<void> {
  await t.app.get(ThreadCache).invalidate(siteId, articleId);
}
