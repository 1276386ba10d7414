import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RateLimitedError } from '../../common/errors/domain.errors.js';
import { Counters } from '../../redis/counters.js';

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
 * Per-site submission limits per client address and per email (fixed one-minute windows of
 * `Counters`, keyed by blind index): two limits with per-site maxima, in one round trip. Fails open: a Redis
 * outage must not stop readers from commenting (PostgreSQL still takes the comment).
 */
@Injectable()
export class SubmitRateLimiter {
  constructor(
    private readonly counters: Counters,
    @InjectPinoLogger(SubmitRateLimiter.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Counts one submission against each limit (all in one round trip); throws RateLimitedError
   * if any is exceeded.
   */
  async consume(checks: LimitCheck[], now = Date.now()): Promise<void> {
    const window = Math.floor(now / WINDOW_MS);
    const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    let counts: number[];
    try {
      counts = await this.counters.hit(
        checks.map((check) => ({
          key: ['rl', check.kind, check.siteId, check.subject.toString('hex'), String(window)],
          ttlMs: WINDOW_MS,
        })),
      );
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Rate limiter unavailable; allowing');
      return;
    }
    checks.forEach((check, i) => {
      if (counts[i] > check.perMinute) throw new RateLimitedError(retryAfter);
    });
  }
}
