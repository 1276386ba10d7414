import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RateLimitedError } from '../../common/errors/domain.errors.js';
import { REDIS } from '../../redis/redis.module.js';
import { RedisKeys } from '../../redis/redis-keys.js';

const WINDOW_MS = 60_000;

/** INCR each key; a key just created expires with its window. Answers the counts, in order. */
const COUNT_WINDOWS = `
local counts = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  counts[i] = n
end
return counts`;

type RateLimitRedis = Redis & {
  countWindows(numKeys: number, ...keysThenWindowMs: Array<string | number>): Promise<number[]>;
};

export interface LimitCheck {
  /** e.g. `ip`, `email` */
  kind: string;
  siteId: string;
  /** A blind index: never the address itself. */
  subject: Buffer;
  perMinute: number;
}

/**
 * Per-site submission limits per client address and per email (fixed one-minute windows in
 * Redis, keyed by blind index). @fastify/rate-limit applies at most one limit per request, and
 * we need two with per-site maxima, so this is a few lines of our own. Fails open: a Redis
 * outage must not stop readers from commenting (PostgreSQL still takes the comment).
 */
@Injectable()
export class SubmitRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    @InjectPinoLogger(SubmitRateLimiter.name) private readonly logger: PinoLogger,
  ) {
    if (!('countWindows' in redis)) {
      redis.defineCommand('countWindows', { lua: COUNT_WINDOWS });
    }
  }

  /**
   * Counts one submission against each limit (one script, one round trip; concurrent requests'
   * scripts share a write through auto-pipelining); throws RateLimitedError if any is exceeded.
   */
  async consume(checks: LimitCheck[], now = Date.now()): Promise<void> {
    const window = Math.floor(now / WINDOW_MS);
    const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    const keys = checks.map((check) =>
      this.keys.key('rl', check.kind, check.siteId, check.subject.toString('hex'), String(window)),
    );
    let counts: number[];
    try {
      counts = await (this.redis as RateLimitRedis).countWindows(keys.length, ...keys, WINDOW_MS);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Rate limiter unavailable; allowing');
      return;
    }
    checks.forEach((check, i) => {
      if (Number(counts[i] ?? 0) > check.perMinute) throw new RateLimitedError(retryAfter);
    });
  }
}
