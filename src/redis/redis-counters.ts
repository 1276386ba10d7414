import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Counters, type CounterHit } from './counters.js';
import { RedisKeys } from './redis-keys.js';
import { REDIS } from './redis.tokens.js';

/** Counters in Redis: INCR and PEXPIRE … NX per counter, all in one MULTI. */
@Injectable()
export class RedisCounters extends Counters {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    super();
  }

  async hit(counters: readonly CounterHit[]): Promise<number[]> {
    if (!counters.length) return [];
    const multi = this.redis.multi();
    for (const { key, ttlMs } of counters) {
      const name = this.keys.key(...key);
      multi.incr(name).pexpire(name, ttlMs, 'NX');
    }
    const results = (await multi.exec()) ?? [];
    return counters.map((_, i) => {
      const [error, value] = results[2 * i] ?? [new Error('No answer'), null];
      if (error) throw error;
      return Number(value);
    });
  }

  async read(key: readonly string[]): Promise<number> {
    return Number((await this.redis.get(this.keys.key(...key))) ?? 0);
  }
}
