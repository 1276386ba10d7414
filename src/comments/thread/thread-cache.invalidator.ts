import { Injectable } from '@nestjs/common';
import {
  RelayTargetRegistry,
  type RelayTarget,
  type RelayedEvent,
} from '../../events/relay-target.js';
import { ThreadCache } from './thread.cache.js';

/**
 * Relay target (worker role): drops the cached thread of every article an event changed the
 * public view of. The process that made the change already did so right after its commit;
 * this catches the case where it died in between. Best effort: a failure is logged, and the
 * cached pages expire on their own.
 */
@Injectable()
export class ThreadCacheInvalidator implements RelayTarget {
  readonly name = 'thread-cache';
  readonly order = 40;
  readonly bestEffort = true;

  constructor(
    private readonly cache: ThreadCache,
    registry: RelayTargetRegistry,
  ) {
    registry.register(this);
  }

  async relay(batch: readonly RelayedEvent[]): Promise<void> {
    const articles = new Map<string, [string, string]>();
    for (const event of batch) {
      const comment = event.cloudEvent.data.comment as { publishedAt?: unknown } | undefined;
      if (!event.articleId || !comment?.publishedAt) continue;
      articles.set(`${event.siteId}/${event.articleId}`, [event.siteId, event.articleId]);
    }
    for (const [siteId, articleId] of articles.values()) {
      await this.cache.invalidate(siteId, articleId);
    }
  }
}
