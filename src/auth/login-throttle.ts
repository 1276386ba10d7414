import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { RateLimitedError } from '../common/errors/domain.errors.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Counters } from '../redis/counters.js';

const WINDOW_MS = 60_000;

/**
 * Failed bearer logins: more than AUTH_FAILURES_PER_MINUTE wrong tokens from one client (IPv4,
 * or IPv6 /64) in a minute, and that client gets a 429 with Retry-After on every protected
 * route until the minute is over — a right token too, so guessing gains nothing by going on.
 * Counted in Redis under the client's blind index (never the address); fails open.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly counters: Counters,
    private readonly crypto: CryptoService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(LoginThrottle.name) private readonly logger: PinoLogger,
  ) {}

  /** Throws RateLimitedError while the client is over its failures for this minute. */
  async check(ip: string | null | undefined, now = Date.now()): Promise<void> {
    if (!ip) return;
    const count = await this.counters.read(this.key(ip, now)).catch(() => 0);
    if (count >= this.config.authFailuresPerMinute) {
      throw new RateLimitedError(retryAfter(now));
    }
  }

  /** Counts one failed login of the client. */
  async failed(ip: string | null | undefined, now = Date.now()): Promise<void> {
    if (!ip) return;
    await this.counters
      .hit([{ key: this.key(ip, now), ttlMs: WINDOW_MS }])
      .catch((error: unknown) =>
        this.logger.warn({ err: (error as Error).message }, 'Login throttle unavailable'),
      );
  }

  private key(ip: string, now: number): string[] {
    const window = String(Math.floor(now / WINDOW_MS));
    return ['auth-failures', this.crypto.ipIndex(ip).toString('hex'), window];
  }
}

function retryAfter(now: number): number {
  const window = Math.floor(now / WINDOW_MS);
  return Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
}
