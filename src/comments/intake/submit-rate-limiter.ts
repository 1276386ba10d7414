import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RateLimitedError } from '../../common/errors/domain.errors.js';
import { REDIS } from '../../redis/redis.module.js';
import { RedisKeys } from '../../redis/redis-keys.js';

const WINDOW_MS = 60_000;

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
  ) {}

  /**
   * Counts one submission against each limit (all in one round trip); throws RateLimitedError
   * if any is exceeded.
   */
  async consume(checks: LimitCheck[], now = Date.now()): Promise<void> {
    const window = Math.floor(now / WINDOW_MS);
    const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    const multi = this.redis.multi();
    for (const check of checks) {
      const key = this.keys.key(
        'rl',
        check.kind,
        check.siteId,
        check.subject.toString('hex'),
        String(window),
      );
      multi.incr(key).pexpire(key, WINDOW_MS, 'NX');
    }
    let results: Array<[Error | null, unknown]>;
    try {
      results = (await multi.exec()) ?? [];
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Rate limiter unavailable; allowing');
      return;
    }
    checks.forEach((check, i) => {
      if (Number(results[2 * i]?.[1] ?? 0) > check.perMinute) {
        throw new RateLimitedError(retryAfter);
      }
    });
  }
}
