import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Counters, type CounterHit } from './counters.js';
import { RedisKeys } from './redis-keys.js';
import { REDIS } from './redis.tokens.js';

/**
 * INCR each key; a key it creates expires after its TTL (ARGV, in order). Answers the new
 * values, in order. One script: atomic, and one command however many counters.
 */
const HIT = `
local values = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, ARGV[i]) end
  values[i] = n
end
return values`;

type CountingRedis = Redis & {
  hitCounters(numKeys: number, ...keysThenTtls: Array<string | number>): Promise<number[]>;
};

/**
 * Counters in Redis: one script per call (INCR, and PEXPIRE on creation). It is an EVALSHA,
 * so the calls of concurrent requests go out together (auto-pipelining) in one write.
 */
@Injectable()
export class RedisCounters extends Counters {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    super();
    if (!('hitCounters' in redis)) redis.defineCommand('hitCounters', { lua: HIT });
  }

  async hit(counters: readonly CounterHit[]): Promise<number[]> {
    if (!counters.length) return [];
    const values = await (this.redis as CountingRedis).hitCounters(
      counters.length,
      ...counters.map(({ key }) => this.keys.key(...key)),
      ...counters.map(({ ttlMs }) => ttlMs),
    );
    return values.map(Number);
  }

  async read(key: readonly string[]): Promise<number> {
    return Number((await this.redis.get(this.keys.key(...key))) ?? 0);
  }

  async claim(key: readonly string[], ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.keys.key(...key), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** One SCAN over the scope's keys (an erase is rare), deleting those naming a subject. */
  async forget(scope: string, subjects: readonly string[]): Promise<number> {
    if (!subjects.length) return 0;
    const wanted = new Set(subjects);
    const head = this.keys.key(scope, '');
    const pattern = `${head.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      const mine = keys.filter((key) =>
        key
          .slice(head.length)
          .split(':')
          .some((part) => wanted.has(part)),
      );
      if (mine.length) deleted += await this.redis.del(...mine);
    } while (cursor !== '0');
    return deleted;
  }
}
