import { Injectable } from '@nestjs/common';
import type { CommentRow } from '../comments/views/comment-views.js';
import { WorkerComments } from '../comments/pipeline/worker-comments.port.js';
import { SubscriptionsService } from '../notifications/subscriptions.service.js';
import type { TrustSource } from './phases/moderation-phase.js';

/**
 * Where `trusted` mode's trust comes from: proof, never an address alone (anyone who knows a
 * reader's address could otherwise publish as them). Asked for a worker's batch at once, before the
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

  /**
   * The trust source of each comment of a batch (null: none): at most four queries for the
   * batch, whatever its size, and none for a source no comment could have.
   */
  async trustedByAll(comments: CommentRow[]): Promise<Array<TrustSource | null>> {
    const [receipt, sso, confirmed] = await Promise.all([
      this.comments.approvedByReceiptAll(comments),
      this.comments.subjectsHaveApproved(comments),
      this.subscriptions.haveConfirmedAddresses(comments),
    ]);
    const untrusted = comments.flatMap((c, i) => (!receipt[i] && !sso[i] ? [i] : []));
    const ask = untrusted.filter((i) => confirmed[i]);
    const approved = await this.comments.addressesHaveApproved(ask.map((i) => comments[i]));
    const byAddress = new Set(ask.filter((_i, k) => approved[k]));
    return comments.map((_c, i) =>
      receipt[i] ? 'receipt' : sso[i] ? 'sso' : byAddress.has(i) ? 'confirmed' : null,
    );
  }
}
