import { Injectable } from '@nestjs/common';
import { CommentsService } from '../comments/comments.service.js';
import {
  RelayTargetRegistry,
  type RelayTarget,
  type RelayedEvent,
} from '../events/relay-target.js';
import { SitesService } from '../sites/sites.service.js';
import type { MailJob } from './mail.queue.js';
import { MailQueue } from './mail.queue.js';
import { MailTransport } from './mail.transport.js';

/**
 * Relay target: turns comment events into mail jobs (ids only). Submitted comments that asked
 * for replies → a confirmation; published replies → a reply notification; held comments → the
 * site's moderator digest. Job ids derive from the event, so a batch relayed again adds nothing.
 * Registered only when SMTP_URL is set.
 */
@Injectable()
export class NotificationsRelayTarget implements RelayTarget {
  readonly name = 'mail';
  readonly order = 40;

  constructor(
    private readonly queue: MailQueue,
    private readonly comments: CommentsService,
    private readonly sites: SitesService,
    transport: MailTransport,
    registry: RelayTargetRegistry,
  ) {
    if (transport.enabled) registry.register(this);
  }

  async relay(batch: readonly RelayedEvent[]): Promise<void> {
    const jobs: MailJob[] = [];
    const submitted: string[] = [];
    for (const event of batch) {
      const comment = event.cloudEvent.data.comment as { id?: string; parentId?: string | null };
      if (!comment?.id) continue;
      if (event.type === 'comment.submitted') submitted.push(comment.id);
      else if (event.type === 'comment.approved' && comment.parentId) {
        jobs.push({ id: `reply-${comment.id}`, data: { kind: 'reply', commentId: comment.id } });
      } else if (event.type === 'comment.held') {
        const site = await this.sites.getCached(event.siteId);
        if (site?.settings.notifications.moderatorEmails.length) {
          jobs.push({
            id: `digest-${event.siteId}-${event.sequence}`,
            data: { kind: 'digest', siteId: event.siteId },
          });
        }
      }
    }
    if (submitted.length) {
      for (const c of await this.comments.notificationFacts(submitted)) {
        if (c.notifyReplies)
          jobs.push({ id: `confirm-${c.id}`, data: { kind: 'confirm', commentId: c.id } });
      }
    }
    await this.queue.add(jobs);
  }
}
