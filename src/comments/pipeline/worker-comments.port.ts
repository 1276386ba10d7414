import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { batchOrEach, type Settled } from '../../common/batching/micro-batcher.js';
import { UUID_PATTERN } from '../../common/http/identifiers.js';
import { PreparedQueries } from '../../database/prepared-queries.js';
import type { CommentStatus } from '../model/comment-status.js';
import type { Reason } from '../model/comment.entity.js';
import { COMMENT_ROW } from '../views/comment-projection.js';
import type { CommentRow } from '../views/comment-views.js';

/**
 * The one port the workers (spam, moderation, notification mail) ask of comments: the whole row
 * for a job, the spam score, the author's earlier approvals (trusted mode), the facts reply
 * notifications and the moderators' digest need. Status changes go through
 * `CommentStateService.transition`.
 */
@Injectable()
export class WorkerComments {
  /** The workers' constant statements, prepared once. */
  private readonly prepared: PreparedQueries;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.prepared = new PreparedQueries(db);
  }

  /** One comment, whole (with its ciphertext: the spam worker needs the address). */
  async findForProcessing(id: string): Promise<CommentRow | null> {
    return (await this.findAllForProcessing([id]))[0];
  }

  /** The comments of a worker's batch, whole, in one query; null for an unknown id. */
  async findAllForProcessing(ids: string[]): Promise<Array<CommentRow | null>> {
    // One id that is not a UUID would fail the whole batch: it simply finds nothing.
    const rows: CommentRow[] = await this.prepared.query(
      `SELECT ${COMMENT_ROW} FROM comments c WHERE c.id = ANY($1::uuid[])`,
      [ids.filter((id) => UUID_PATTERN.test(id))],
    );
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  }

  /**
   * Stores the spam scores of a batch in one statement, each once, while its comment is still
   * pending (a second run changes nothing): true for each score stored. If the statement
   * fails, each is tried alone, so that only a score that cannot be stored fails.
   */
  recordSpamScores(
    scores: Array<{ id: string; score: number; reasons: Reason[] }>,
  ): Promise<Settled<boolean>[]> {
    const rows = scores.map((s) => ({ ...s, reasons: JSON.stringify(s.reasons) }));
    return batchOrEach(
      rows,
      (all) => this.storeSpamScores(all),
      async (one) => (await this.storeSpamScores([one]))[0],
    );
  }

  private async storeSpamScores(
    scores: Array<{ id: string; score: number; reasons: string }>,
  ): Promise<boolean[]> {
    const first = [...new Map(scores.map((s) => [s.id, s])).values()];
    const [rows]: [Array<{ id: string }>, number] = await this.prepared.query(
      `UPDATE comments c SET spam_score = v.score, spam_reasons = v.reasons, updated_at = now()
       FROM unnest($1::uuid[], $2::real[], $3::jsonb[]) AS v(id, score, reasons)
       WHERE c.id = v.id AND c.status = 'pending' AND c.spam_score IS NULL
       RETURNING c.id`,
      [first.map((s) => s.id), first.map((s) => s.score), first.map((s) => s.reasons)],
    );
    const stored = new Set(rows.map((row) => row.id));
    // A duplicate in the batch stored nothing of its own.
    const seen = new Set<string>();
    return scores.map(({ id }) => {
      const mine = stored.has(id) && !seen.has(id);
      seen.add(id);
      return mine;
    });
  }

  /**
   * Trusted mode, for a batch: did each author send the receipt of an approved comment of
   * theirs on this site (same address: blind index)? The receipts were verified at intake;
   * approval is checked now. Knowing an address alone proves nothing; holding the receipt of
   * an approved comment written with it does. One query (none when nobody sent a receipt).
   */
  approvedByReceiptAll(
    comments: Array<Pick<CommentRow, 'id' | 'siteId' | 'emailIndex' | 'trustReceipts'>>,
  ): Promise<boolean[]> {
    const rows = comments.flatMap((c, i) =>
      c.emailIndex
        ? (c.trustReceipts ?? [])
            .filter((receipt) => UUID_PATTERN.test(receipt))
            .map((receipt) => ({
              i,
              receipt,
              siteId: c.siteId,
              emailIndex: c.emailIndex,
              id: c.id,
            }))
        : [],
    );
    return this.whichOf(
      comments.length,
      rows,
      `SELECT DISTINCT v.i
       FROM unnest($1::int[], $2::uuid[], $3::text[], $4::bytea[], $5::uuid[])
         AS v(i, receipt, site_id, email_index, except_id)
       JOIN comments c ON c.id = v.receipt AND c.site_id = v.site_id AND c.status = 'approved'
         AND c.email_index = v.email_index AND c.id <> v.except_id`,
      [
        rows.map((r) => r.i),
        rows.map((r) => r.receipt),
        rows.map((r) => r.siteId),
        rows.map((r) => r.emailIndex),
        rows.map((r) => r.id),
      ],
    );
  }

  /**
   * Trusted mode, for addresses confirmed by mail: has each an approved comment on its site?
   * (Never trust on its own: only after the confirmation proved the reader reads that
   * mailbox.) One query for a batch.
   */
  addressesHaveApproved(
    comments: Array<Pick<CommentRow, 'id' | 'siteId' | 'emailIndex'>>,
  ): Promise<boolean[]> {
    return this.othersApproved(comments, 'email_index', (c) => c.emailIndex);
  }

  /**
   * Trusted mode: has each verified author (SSO `sub`) an approved comment on the site? One
   * query for a batch (none when no comment carries an identity).
   */
  subjectsHaveApproved(
    comments: Array<Pick<CommentRow, 'id' | 'siteId' | 'identitySub'>>,
  ): Promise<boolean[]> {
    return this.othersApproved(comments, 'identity_sub', (c) => c.identitySub ?? null);
  }

  /** Has each comment's author (by `column`) another approved comment on its site? */
  private othersApproved<C extends Pick<CommentRow, 'id' | 'siteId'>>(
    comments: C[],
    column: 'email_index' | 'identity_sub',
    keyOf: (comment: C) => Buffer | string | null,
  ): Promise<boolean[]> {
    const rows = comments.flatMap((c, i) => {
      const key = keyOf(c);
      return key ? [{ i, key, siteId: c.siteId, id: c.id }] : [];
    });
    const type = column === 'email_index' ? 'bytea' : 'text';
    return this.whichOf(
      comments.length,
      rows,
      `SELECT v.i FROM unnest($1::int[], $2::${type}[], $3::text[], $4::uuid[])
         AS v(i, author_key, site_id, except_id)
       WHERE EXISTS (SELECT 1 FROM comments c
                     WHERE c.${column} = v.author_key AND c.site_id = v.site_id
                       AND c.status = 'approved' AND c.id <> v.except_id)`,
      [
        rows.map((r) => r.i),
        rows.map((r) => r.key),
        rows.map((r) => r.siteId),
        rows.map((r) => r.id),
      ],
    );
  }

  /** Runs a query answering the numbers `i` (of `count` items) that hold; none asked: none. */
  private async whichOf(
    count: number,
    asked: unknown[],
    sql: string,
    values: unknown[],
  ): Promise<boolean[]> {
    const holds = new Array<boolean>(count).fill(false);
    if (asked.length === 0) return holds;
    const rows: Array<{ i: number }> = await this.prepared.query(sql, values);
    for (const row of rows) holds[row.i] = true;
    return holds;
  }

  /** What reply notifications need of comments (ciphertexts are decrypted only to send). */
  notificationFacts(ids: string[]): Promise<NotificationFacts[]> {
    return this.db.query(
      `SELECT c.id, c.site_id AS "siteId", c.article_id AS "articleId", c.parent_id AS "parentId",
              c.status, c.author_name AS "authorName", c.body, c.email_index AS "emailIndex",
              c.email_ciphertext AS "emailCiphertext", c.email_key_id AS "emailKeyId",
              c.identity_sub AS "identitySub", c.notify_replies AS "notifyReplies",
              c.created_at AS "createdAt"
       FROM comments c WHERE c.id = ANY($1::uuid[])`,
      [ids.filter((id) => UUID_PATTERN.test(id))],
    );
  }

  /**
   * For the moderators' digest: comments of a site held in (since, until] (by their audit
   * rows), oldest first.
   */
  heldSince(
    siteId: string,
    since: Date | null,
    until: Date,
    limit = 100,
  ): Promise<
    Array<{ id: string; articleId: string; authorName: string | null; body: string; heldAt: Date }>
  > {
    return this.db.query(
      `SELECT c.id, c.article_id AS "articleId", c.author_name AS "authorName", c.body,
              h.held_at AS "heldAt"
       FROM comments c
       CROSS JOIN LATERAL (SELECT max(a.created_at) AS held_at FROM moderation_actions a
                           WHERE a.comment_id = c.id AND a.to_status = 'held') h
       WHERE c.site_id = $1 AND c.status = 'held'
         AND ($2::timestamptz IS NULL OR h.held_at > $2) AND h.held_at <= $3
       ORDER BY h.held_at LIMIT $4`,
      [siteId, since, until, limit],
    );
  }
}

export interface NotificationFacts {
  id: string;
  siteId: string;
  articleId: string;
  parentId: string | null;
  status: CommentStatus;
  authorName: string | null;
  body: string;
  emailIndex: Buffer | null;
  emailCiphertext: Buffer | null;
  emailKeyId: string | null;
  identitySub: string | null;
  notifyReplies: boolean;
  createdAt: Date;
}
