import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisKeys } from '../redis/redis-keys.js';
import { REDIS } from '../redis/redis.module.js';

/** Cached pages live this long without a change (a thread's change drops them at once). */
const PAGE_TTL_S = 600;
const GENERATION_TTL_S = 7 * 24 * 3600;

/**
 * Reads the article's cache generation (creating it, from a random start, when Redis has
 * none: after a data loss no old ETag can match) and the cached page of this generation.
 */
const LOOKUP = `
local generation = redis.call('GET', KEYS[1])
if not generation then
  redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ${GENERATION_TTL_S})
  generation = redis.call('GET', KEYS[1])
end
return {generation, redis.call('HGET', KEYS[2], generation .. '|' .. ARGV[1])}`;

type LookupCommand = (
  generationKey: string,
  pagesKey: string,
  variant: string,
  start: string,
) => Promise<[string, string | null]>;

/**
 * The published-thread cache in Redis. Each article has a generation number; a page is
 * cached under (generation, query) and the ETag is built from them, so a change to the thread
 * only has to bump the generation (`invalidate`) for every cached page and ETag of it to be
 * stale — no race with a reader storing a page it read before the change: it stores it under
 * the old generation, which nobody reads any more. One round trip per read.
 */
@Injectable()
export class ThreadCache {
  private readonly lookupCommand: LookupCommand;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    if (!(redis as unknown as Record<string, unknown>).threadLookup) {
      redis.defineCommand('threadLookup', { numberOfKeys: 2, lua: LOOKUP });
    }
    this.lookupCommand = (redis as unknown as { threadLookup: LookupCommand }).threadLookup.bind(
      redis,
    );
  }

  /** The current generation and the cached page for `variant`, if any. */
  async lookup(
    siteId: string,
    articleId: string,
    variant: string,
  ): Promise<{ generation: string; page: string | null }> {
    const [generation, page] = await this.lookupCommand(
      this.generationKey(siteId, articleId),
      this.pagesKey(siteId, articleId),
      variant,
      String(randomInt(1, 2 ** 47)),
    );
    return { generation, page };
  }

  async store(
    siteId: string,
    articleId: string,
    generation: string,
    variant: string,
    json: string,
  ): Promise<void> {
    const pages = this.pagesKey(siteId, articleId);
    await this.redis
      .multi()
      .hset(pages, `${generation}|${variant}`, json)
      .expire(pages, PAGE_TTL_S)
      .exec();
  }

  /** The thread changed: every cached page and ETag of it is stale from now on. */
  async invalidate(siteId: string, articleId: string): Promise<void> {
    const generation = this.generationKey(siteId, articleId);
    await this.redis
      .multi()
      .incr(generation)
      .expire(generation, GENERATION_TTL_S)
      .del(this.pagesKey(siteId, articleId))
      .exec();
  }

  private generationKey(siteId: string, articleId: string): string {
    return this.keys.key('thread', `{${siteId}/${articleId}}`, 'gen');
  }

  private pagesKey(siteId: string, articleId: string): string {
    return this.keys.key('thread', `{${siteId}/${articleId}}`, 'pages');
  }
}
