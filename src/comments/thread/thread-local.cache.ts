import { randomBytes, randomInt } from 'node:crypto';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { MicroBatcher } from '../../common/batching/micro-batcher.js';
import type { PubSub, Subscription } from '../../redis/pubsub.js';
import { ThreadCache } from './thread.cache.js';
import { ThreadNearCache } from './thread-near-cache.js';

/** A generation (and its pages) is kept this long at most, unless invalidated sooner. */
export const LOCAL_CACHE_TTL_MS = 3600_000;
/** Page bytes each process keeps in memory. */
const LOCAL_CACHE_MAX_BYTES = 32 * 1024 * 1024;
/** The pub/sub channel invalidations go out on (each process drops the article). */
export const THREAD_INVALIDATIONS = 'thread:invalidations';

/**
 * The published-thread cache of the PostgreSQL transport: in process only. Each process keeps
 * the article's generation and its pages as bytes (`ThreadNearCache`); a change drops them here
 * and, through pub/sub (LISTEN/NOTIFY), in every other process. Generations start at random
 * per process, so an ETag of one process never matches another's page by accident (a client
 * balanced across processes just gets fewer 304s). While the invalidation channel is not
 * listened to (starting, or the connection lost) nothing is cached: `lookup` fails and the
 * thread is read from PostgreSQL with its thread-version ETag.
 */
export class LocalThreadCache extends ThreadCache implements OnApplicationBootstrap {
  private readonly pages = new ThreadNearCache({
    ttlMs: LOCAL_CACHE_TTL_MS,
    maxBytes: LOCAL_CACHE_MAX_BYTES,
  });
  private subscription: Subscription | null = null;
  private subscribing: Promise<unknown> | null = null;
  private closed = false;
  /** Marks this process's own invalidations, already applied here when they come back. */
  private readonly origin = randomBytes(6).toString('base64url');
  private readonly invalidations = new MicroBatcher(async (articles: string[]) => {
    const messages = [...new Set(articles)].map((article) => `${this.origin} ${article}`);
    await this.pubsub.publish(THREAD_INVALIDATIONS, messages);
    return articles.map(() => undefined);
  });

  constructor(private readonly pubsub: PubSub) {
    super();
  }

  /** The generation and the cached page, if any; null when the article has no generation yet. */
  async lookup(
    siteId: string,
    articleId: string,
    variant: string,
  ): Promise<{ generation: string; page: Buffer | null } | null> {
    await this.assertListening();
    return this.pages.get(articleKey(siteId, articleId), variant);
  }

  /** The article's generation, created when there is none: for existing articles only. */
  async ensureGeneration(siteId: string, articleId: string): Promise<string> {
    await this.assertListening();
    const article = articleKey(siteId, articleId);
    const held = this.pages.get(article, '');
    if (held) return held.generation;
    const generation = String(randomInt(1, 2 ** 47));
    this.pages.remember(article, generation, '', null, this.pages.version);
    return generation;
  }

  store(
    siteId: string,
    articleId: string,
    generation: string,
    variant: string,
    json: string,
  ): Promise<void> {
    if (this.subscription?.live) {
      this.pages.add(articleKey(siteId, articleId), generation, variant, Buffer.from(json));
    }
    return Promise.resolve();
  }

  /** The thread changed: dropped here at once, and in every other process when they hear it. */
  async invalidate(siteId: string, articleId: string): Promise<void> {
    const article = articleKey(siteId, articleId);
    this.pages.drop(article);
    await this.invalidations.submit(article);
  }

  /** Listens at start, so that the first reads are cached already (never fails the start). */
  async onApplicationBootstrap(): Promise<void> {
    this.listen();
    await this.subscribing;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.unsubscribe();
  }

  /** Rejects while invalidations may be missed (the read then goes to PostgreSQL). */
  private assertListening(): Promise<void> {
    if (this.subscription?.live) return Promise.resolve();
    this.listen();
    return Promise.reject(new Error('The thread cache is not listening to invalidations yet'));
  }

  private listen(): void {
    if (this.subscribing || this.subscription || this.closed) return;
    this.subscribing = this.pubsub
      .subscribe(THREAD_INVALIDATIONS, {
        message: (message) => {
          const space = message.indexOf(' ');
          if (message.slice(0, space) !== this.origin) this.pages.drop(message.slice(space + 1));
        },
        // Invalidations may have been missed (connection lost, or back): start empty.
        gap: () => this.pages.clear(),
      })
      .then(
        (subscription) => {
          this.pages.clear();
          if (this.closed) void subscription.unsubscribe();
          else this.subscription = subscription;
        },
        () => undefined, // not reachable: try again on the next read
      )
      .finally(() => (this.subscribing = null));
  }
}

function articleKey(siteId: string, articleId: string): string {
  return `${siteId}/${articleId}`;
}
