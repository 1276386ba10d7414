import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { CommentRow } from '../comments/views/comment-views.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { REDIS } from '../redis/redis.module.js';
import { RedisKeys } from '../redis/redis-keys.js';

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

export interface CountedFacts {
  ipVelocity: number;
  emailVelocity: number;
  sameBody: number;
}

/**
 * Counters the spam signals need, kept in Redis by blind index (never an address or text):
 * comments per address and per email on a site in the current hour, and comments with the
 * same body (keyed hash of its normalised form) on a site in the last day. Losing Redis only
 * resets them.
 */
@Injectable()
export class SpamFactsService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly crypto: CryptoService,
    @InjectPinoLogger(SpamFactsService.name) private readonly logger: PinoLogger,
  ) {}

  /** The counters of many comments (a worker's batch), counted in one Redis round trip. */
  async countAll(
    comments: Array<Pick<CommentRow, 'siteId' | 'body' | 'ipIndex' | 'emailIndex'>>,
    now = Date.now(),
  ): Promise<CountedFacts[]> {
    const hour = Math.floor(now / 1000 / HOUR_S);
    const counters = comments.map((comment) => {
      const body = this.crypto
        .fingerprint(comment.body.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim())
        .toString('hex');
      const mine: Array<[keyof CountedFacts, string, number]> = [
        ['sameBody', this.keys.key('spam', 'body', comment.siteId, body), DAY_S],
      ];
      if (comment.ipIndex) {
        const ip = comment.ipIndex.toString('hex');
        mine.push([
          'ipVelocity',
          this.keys.key('spam', 'ip', comment.siteId, ip, String(hour)),
          2 * HOUR_S,
        ]);
      }
      if (comment.emailIndex) {
        const email = comment.emailIndex.toString('hex');
        mine.push([
          'emailVelocity',
          this.keys.key('spam', 'email', comment.siteId, email, String(hour)),
          2 * HOUR_S,
        ]);
      }
      return mine;
    });
    const facts = comments.map((): CountedFacts => ({
      ipVelocity: 1,
      emailVelocity: 1,
      sameBody: 1,
    }));
    if (comments.length === 0) return facts;
    try {
      // In order, so that two comments of a batch with the same body count as two.
      const multi = this.redis.multi();
      for (const mine of counters) {
        for (const [, key, ttl] of mine) multi.incr(key).expire(key, ttl, 'NX');
      }
      const results = (await multi.exec()) ?? [];
      let at = 0;
      counters.forEach((mine, i) => {
        for (const [fact] of mine) {
          facts[i][fact] = Number(results[at]?.[1] ?? 1);
          at += 2;
        }
      });
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Spam counters unavailable');
    }
    return facts;
  }

  /** The domain of the author's email (decrypted in memory only; never logged or stored). */
  emailDomain(encrypted: { ciphertext: Buffer; keyId: string } | null): string | null {
    if (!encrypted) return null;
    const email = this.crypto.decryptEmail(encrypted.ciphertext, encrypted.keyId);
    return email.slice(email.lastIndexOf('@') + 1) || null;
  }
}
