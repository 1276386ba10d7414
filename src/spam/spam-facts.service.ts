import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { CommentRow } from '../comments/views/comment-views.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { Counters, type CounterHit } from '../redis/counters.js';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface CountedFacts {
  ipVelocity: number;
  emailVelocity: number;
  sameBody: number;
}

/**
 * Counters the spam signals need (`Counters`, in Redis), kept by blind index (never an address or text):
 * comments per address and per email on a site in the current hour, and comments with the
 * same body (keyed hash of its normalised form) on a site in the last day. Losing Redis only
 * resets them.
 */
@Injectable()
export class SpamFactsService {
  constructor(
    private readonly counters: Counters,
    private readonly crypto: CryptoService,
    @InjectPinoLogger(SpamFactsService.name) private readonly logger: PinoLogger,
  ) {}

  /** The counters of many comments (a worker's batch), counted in one round trip. */
  async countAll(
    comments: Array<Pick<CommentRow, 'siteId' | 'body' | 'ipIndex' | 'emailIndex'>>,
    now = Date.now(),
  ): Promise<CountedFacts[]> {
    const hour = Math.floor(now / HOUR_MS);
    const counters = comments.map((comment) => {
      const body = this.crypto
        .fingerprint(comment.body.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim())
        .toString('hex');
      const mine: Array<[keyof CountedFacts, CounterHit]> = [
        ['sameBody', { key: ['spam', 'body', comment.siteId, body], ttlMs: DAY_MS }],
      ];
      if (comment.ipIndex) {
        const ip = comment.ipIndex.toString('hex');
        const key = ['spam', 'ip', comment.siteId, ip, String(hour)];
        mine.push(['ipVelocity', { key, ttlMs: 2 * HOUR_MS }]);
      }
      if (comment.emailIndex) {
        const email = comment.emailIndex.toString('hex');
        const key = ['spam', 'email', comment.siteId, email, String(hour)];
        mine.push(['emailVelocity', { key, ttlMs: 2 * HOUR_MS }]);
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
      const values = await this.counters.hit(
        counters.flatMap((mine) => mine.map(([, hit]) => hit)),
      );
      let at = 0;
      counters.forEach((mine, i) => {
        for (const [fact] of mine) facts[i][fact] = values[at++];
      });
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Spam counters unavailable');
    }
    return facts;
  }
}
