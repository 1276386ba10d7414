import { randomInt } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { MicroBatcher } from '../../common/batching/micro-batcher.js';
import { PubSub, type Subscription } from '../../redis/pubsub.js';
import { RedisKeys } from '../../redis/redis-keys.js';
import { REDIS } from '../../redis/redis.module.js';
import { ThreadNearCache } from './thread-near-cache.js';

/** Cached pages live this long without a change (a thread's change drops them at once). */
const PAGE_TTL_S = 600;
const GENERATION_TTL_S = 7 * 24 * 3600;
/** A generation read from Redis is believed in memory this long, unless invalidated sooner. */
export const NEAR_CACHE_TTL_MS = 1000;
/** Page bytes each process keeps in memory. */
const NEAR_CACHE_MAX_BYTES = 32 * 1024 * 1024;
/** The pub/sub channel of invalidations (the article, `siteId/articleId`). */
const INVALIDATIONS = 'thread:invalidations';

/**
 * Reads the article's cache generation and the cached page of this generation. It creates
 * nothing: a read of an article nobody commented on (a made-up id, say) must not leave keys
 * behind in a Redis that never evicts; `ensureGeneration` creates it for articles that exist.
 */
const LOOKUP = `
local generation = redis.call('GET', KEYS[1])
if not generation then return {false, false} end
return {generation, redis.call('HGET', KEYS[2], generation .. '|' .. ARGV[1])}`;

/**
 * The article's generation, created from a random start when Redis has none (after a data
 * loss no old ETag can match). Only for articles that exist in PostgreSQL.
 */
const ENSURE_GENERATION = `
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ${GENERATION_TTL_S})
return redis.call('GET', KEYS[1])`;

type LookupCommand = (
  generationKey: string,
  pagesKey: string,
  variant: string,
) => Promise<[Buffer | null, Buffer | null]>;

/**
 * The published-thread cache. Each article has a generation number in Redis; a page is cached
 * under (generation, query) and the ETag is built from them, so a change to the thread only
 * has to bump the generation (`invalidate`) for every cached page and ETag of it to be stale —
 * no race with a reader storing a page it read before the change: it stores it under the old
 * generation, which nobody reads any more. One round trip per read at most.
 *
 * In front of Redis, each process that reads threads keeps a near cache of the pages as bytes
 * (`ThreadNearCache`): `invalidate` publishes the article on a `PubSub` channel every such
 * process listens to, and a generation is believed for NEAR_CACHE_TTL_MS at most, so a hot thread is
 * answered from memory and a change is seen everywhere within milliseconds. While the channel
 * is not subscribed (starting, or Redis lost), the near cache is bypassed and emptied.
 */
@Injectable()
export class ThreadCache implements OnApplicationShutdown {
  private readonly lookupCommand: LookupCommand;
  private readonly near = new ThreadNearCache({
    ttlMs: NEAR_CACHE_TTL_MS,
    maxBytes: NEAR_CACHE_MAX_BYTES,
  });
  private subscription: Subscription | null = null;
  private subscribing = false;
  private closed = false;
  private readonly invalidations = new MicroBatcher((articles: Array<[string, string]>) =>
    this.invalidateAll(articles),
  );

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly pubsub: PubSub,
  ) {
    if (!(redis as unknown as Record<string, unknown>).threadLookup) {
      redis.defineCommand('threadLookup', { numberOfKeys: 2, lua: LOOKUP });
    }
    if (!(redis as unknown as Record<string, unknown>).threadEnsureGeneration) {
      redis.defineCommand('threadEnsureGeneration', { numberOfKeys: 1, lua: ENSURE_GENERATION });
    }
    this.lookupCommand = (
      redis as unknown as { threadLookupBuffer: LookupCommand }
    ).threadLookupBuffer.bind(redis);
  }

  /** True while invalidations arrive: only then may the near cache answer. */
  private get listening(): boolean {
    return this.subscription?.live === true;
  }

  /**
   * The current generation and the cached page (JSON bytes) for `variant`, if any; null when
   * Redis has no generation for the article (never read since it exists, or an unknown one).
   */
  async lookup(
    siteId: string,
    articleId: string,
    variant: string,
  ): Promise<{ generation: string; page: Buffer | null } | null> {
    const article = articleKey(siteId, articleId);
    if (this.listening) {
      const local = this.near.get(article, variant);
      if (local?.page) return local;
    } else {
      this.listen();
    }
    const askedAt = this.near.version;
    const [generation, page] = await this.lookupCommand(
      this.generationKey(siteId, articleId),
      this.pagesKey(siteId, articleId),
      variant,
    );
    if (!generation) return null;
    const answer = { generation: generation.toString(), page };
    if (this.listening) this.near.remember(article, answer.generation, variant, page, askedAt);
    return answer;
  }

  /** The article's generation, created if Redis has none: call it for existing articles only. */
  async ensureGeneration(siteId: string, articleId: string): Promise<string> {
    const redis = this.redis as unknown as {
      threadEnsureGeneration(key: string, start: string): Promise<string>;
    };
    return redis.threadEnsureGeneration(
      this.generationKey(siteId, articleId),
      String(randomInt(1, 2 ** 47)),
    );
  }

  async store(
    siteId: string,
    articleId: string,
    generation: string,
    variant: string,
    json: string,
  ): Promise<void> {
    const pages = this.pagesKey(siteId, articleId);
    const bytes = Buffer.from(json);
    if (this.listening) this.near.add(articleKey(siteId, articleId), generation, variant, bytes);
    await this.redis
      .multi()
      .hset(pages, `${generation}|${variant}`, bytes)
      .expire(pages, PAGE_TTL_S)
      .exec();
  }

  /**
   * The thread changed: every cached page and ETag of it is stale from now on, everywhere.
   * Concurrent invalidations (a burst of approvals) share one round trip.
   */
  async invalidate(siteId: string, articleId: string): Promise<void> {
    this.near.drop(articleKey(siteId, articleId));
    await this.invalidations.submit([siteId, articleId]);
  }

  private async invalidateAll(articles: Array<[string, string]>): Promise<void[]> {
    const multi = this.redis.multi();
    const unique = new Map(
      articles.map(([siteId, articleId]) => [articleKey(siteId, articleId), [siteId, articleId]]),
    );
    for (const [siteId, articleId] of unique.values()) {
      const generation = this.generationKey(siteId, articleId);
      multi
        .incr(generation)
        .expire(generation, GENERATION_TTL_S)
        .del(this.pagesKey(siteId, articleId));
    }
    // Sent after the MULTI on the same connection: a process that hears of the change and reads
    // again finds the new generation.
    const changed = multi.exec();
    const published = this.pubsub.publish(INVALIDATIONS, [...unique.keys()]);
    await Promise.all([changed, published]);
    return articles.map(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.unsubscribe();
  }

  /** Subscribes to invalidations (once, in the background); the near cache serves once it is. */
  private listen(): void {
    if (this.subscription || this.subscribing || this.closed) return;
    this.subscribing = true;
    void this.pubsub
      .subscribe(INVALIDATIONS, {
        message: (article) => this.near.drop(article),
        // Whatever was published while we were not listening is unknown: start empty.
        gap: () => this.near.clear(),
      })
      .then(
        async (subscription) => {
          if (this.closed) return subscription.unsubscribe();
          this.near.clear();
          this.subscription = subscription;
        },
        // Redis is unreachable: try again on the next read.
        () => undefined,
      )
      .finally(() => (this.subscribing = false));
  }

  private generationKey(siteId: string, articleId: string): string {
    return this.keys.key('thread', `{${siteId}/${articleId}}`, 'gen');
  }

  private pagesKey(siteId: string, articleId: string): string {
    return this.keys.key('thread', `{${siteId}/${articleId}}`, 'pages');
  }
}

function articleKey(siteId: string, articleId: string): string {
  return `${siteId}/${articleId}`;
}
