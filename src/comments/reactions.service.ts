import { Injectable } from '@nestjs/common';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { CommentNotFoundError } from '../common/errors/domain.errors.js';
import { ReactionsRepository, type ReactionType } from './reactions.repository.js';
import { readerAddress } from './reader-address.js';
import { SubmitRateLimiter } from './submit-rate-limiter.js';
import { ThreadCache } from './thread.cache.js';

/** Reactions (likes and take-backs) one reader may send a minute, across all sites. */
export const REACTIONS_PER_MINUTE = 30;

/** Who reacts: the publisher's SSO subject when known, else the client address. */
export interface Reader {
  ip: string | null;
  /** A verified SSO `sub` (issue 18's identity), when the request carried one. */
  sub?: string | null;
}

/**
 * Readers' reactions: one like per reader per approved comment (by a keyed hash of the SSO
 * subject or of the client address, never the address itself), taken back with DELETE,
 * rate-limited per reader. A change invalidates the article's cached thread, whose comments
 * carry `likes` and which `sort=top` orders by them.
 */
@Injectable()
export class ReactionsService {
  constructor(
    private readonly reactions: ReactionsRepository,
    private readonly crypto: CryptoService,
    private readonly rateLimiter: SubmitRateLimiter,
    private readonly threadCache: ThreadCache,
  ) {}

  async react(
    commentId: string,
    type: ReactionType,
    reader: Reader,
    on: boolean,
  ): Promise<{ likes: number }> {
    const key = this.readerKey(reader);
    await this.rateLimiter.consume([
      { kind: 'reaction', siteId: '*', subject: key, perMinute: REACTIONS_PER_MINUTE },
    ]);
    const outcome = on
      ? await this.reactions.add(commentId, type, key)
      : await this.reactions.remove(commentId, type, key);
    if (!outcome.found) throw new CommentNotFoundError();
    if (outcome.changed && outcome.siteId && outcome.articleId) {
      await this.threadCache.invalidate(outcome.siteId, outcome.articleId).catch(() => undefined);
    }
    return { likes: outcome.count };
  }

  /**
   * `s` + keyed hash of the SSO subject, or `a` + the blind index of the reader's address (an
   * IPv6 address by its /64: see readerAddress).
   */
  readerKey(reader: Reader): Buffer {
    if (reader.sub) {
      return Buffer.concat([Buffer.from('s'), this.crypto.fingerprint(['reader', reader.sub])]);
    }
    return Buffer.concat([
      Buffer.from('a'),
      this.crypto.ipIndex(readerAddress(reader.ip) ?? 'unknown'),
    ]);
  }
}
