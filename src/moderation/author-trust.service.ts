import { Injectable } from '@nestjs/common';
import type { CommentRow } from '../comments/comment.mapper.js';
import { CommentsService } from '../comments/comments.service.js';
import type { TrustSource } from './phases/moderation-phase.js';

/**
 * Where `trusted` mode's trust comes from: proof, never an address alone (anyone who knows a
 * reader's address could otherwise publish as them). Asked once per comment, before the
 * moderation phases run; each source is one line here (the first that holds wins):
 * - `receipt`: the submission carried the receipt of an approved comment of the author's own
 *   on this site, written with the same address;
 * - (later) `sso`: the publisher's signed identity; `confirmed`: an address confirmed by mail.
 */
@Injectable()
export class AuthorTrustService {
  constructor(private readonly comments: CommentsService) {}

  async trustedBy(comment: CommentRow): Promise<TrustSource | null> {
    if (await this.comments.hasApprovedByReceipt(comment)) return 'receipt';
    return null;
  }
}
