import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommentNotFoundError, IllegalTransitionError } from '../../common/errors/domain.errors.js';
import { OutboxWaker } from '../../events/outbox-waker.js';
import { ThreadCache } from '../thread/thread.cache.js';
import { CommentStateRepository } from './comment-state.repository.js';

/**
 * Editors' picks: a moderator features an approved comment (or unfeatures it). The change,
 * its audit row (`feature` / `unfeature` in the comment's history) and its `comment.featured`
 * event commit together; the public thread marks the comment `featured: true` and lists it
 * under `?featured=true`. Asking for what already is changes nothing and emits nothing.
 */
@Injectable()
export class FeaturedCommentsService {
  constructor(
    private readonly comments: CommentStateRepository,
    private readonly waker: OutboxWaker,
    private readonly threadCache: ThreadCache,
  ) {}

  async setFeatured(
    actor: string,
    commentId: string,
    featured: boolean,
    reason: string | null = null,
  ): Promise<void> {
    const outcome = await this.comments.setFeatured({
      id: commentId,
      featured,
      actor,
      reason,
      eventId: randomUUID(),
    });
    if (outcome.changed) {
      this.waker.wake();
      await this.threadCache.invalidate(outcome.siteId, outcome.articleId).catch(() => undefined);
      return;
    }
    if (outcome.status === null) throw new CommentNotFoundError();
    // Only approved comments can be featured; already so (or already not) is fine.
    if (featured && outcome.status !== 'approved') {
      throw new IllegalTransitionError(outcome.status, 'feature');
    }
  }
}
