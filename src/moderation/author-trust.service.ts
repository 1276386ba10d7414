import { Injectable } from '@nestjs/common';
import type { CommentRow } from '../comments/views/comment-views.js';
import { WorkerComments } from '../comments/pipeline/worker-comments.port.js';
import { SubscriptionsService } from '../notifications/subscriptions.service.js';
import type { TrustSource } from './phases/moderation-phase.js';

/**
 * Where `trusted` mode's trust comes from: proof, never an address alone (anyone who knows a
 * reader's address could otherwise publish as them). Asked once per comment, before the
 * moderation phases run; each source is one line here (the first that holds wins):
 * - `receipt`: the submission carried the receipt of an approved comment of the author's own
 *   on this site, written with the same address;
 * - `sso`: the comment carries the publisher's verified identity (SSO `sub`) and that `sub`
 *   has an approved comment on this site (whatever address the token carries today);
 * - `confirmed`: the address was confirmed by mail on this site (double opt-in) and has an
 *   approved comment here.
 */
@Injectable()
export class AuthorTrustService {
  constructor(
    private readonly comments: WorkerComments,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async trustedBy(comment: CommentRow): Promise<TrustSource | null> {
    if (await this.comments.hasApprovedByReceipt(comment)) return 'receipt';
    if (await this.comments.subjectHasApproved(comment)) return 'sso';
    if (
      (await this.subscriptions.hasConfirmedAddress(comment.siteId, comment.emailIndex)) &&
      (await this.comments.addressHasApproved(comment))
    ) {
      return 'confirmed';
    }
    return null;
  }
}
