import { Injectable } from '@nestjs/common';
import { CryptoService } from '../../common/crypto/crypto.service.js';
import { CommentNotFoundError } from '../../common/errors/domain.errors.js';
import { ReactionsRepository, type ReactionType } from './reactions.repository.js';
import { readerKey, resolveReader } from '../readers/reader-key.js';
import { SubmitRateLimiter } from '../intake/submit-rate-limiter.js';
import { ThreadCache } from '../thread/thread.cache.js';
import { SitesService } from '../../sites/sites.service.js';

/** Reactions (likes and take-backs) one reader may send a minute, across all sites. */
export const REACTIONS_PER_MINUTE = 30;

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
    private readonly sites: SitesService,
  ) {}

  async react(
    commentId: string,
    type: ReactionType,
    request: { ip: string | null; identity?: string | null },
    on: boolean,
  ): Promise<{ likes: number }> {
    // The comment's site says whose identity tokens count (and whether one is required).
    const siteId = await this.reactions.siteOf(commentId);
    if (!siteId) throw new CommentNotFoundError();
    const { settings } = await this.sites.get(siteId);
    const reader = await resolveReader(settings.identity, request.identity, request.ip);
    const key = readerKey(this.crypto, reader);
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
}
