import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MicroBatcher } from '../../common/batching/micro-batcher.js';
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
  private readonly byId = new MicroBatcher((ids: string[]) => this.findByIds(ids));
  private readonly scores = new MicroBatcher(
    (scores: Array<{ id: string; score: number; reasons: string }>) =>
      this.recordSpamScores(scores),
  );

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.prepared = new PreparedQueries(db);
  }

  /**
   * One comment, whole (with its ciphertext: the spam worker needs the address). The workers
   * ask this for every job, many at a time: concurrent calls share one query (`MicroBatcher`).
   */
  findForProcessing(id: string): Promise<CommentRow | null> {
    return this.byId.submit(id);
  }

  private async findByIds(ids: string[]): Promise<Array<CommentRow | null>> {
    // One id that is not a UUID would fail the whole batch: it simply finds nothing.
    const rows: CommentRow[] = await this.prepared.query(
      `SELECT ${COMMENT_ROW} FROM comments c WHERE c.id = ANY($1::uuid[])`,
      [ids.filter((id) => UUID_PATTERN.test(id))],
    );
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  }

  /**
   * Stores the spam score once, while the comment is still pending (a second run changes
   * nothing). Concurrent calls (the spam worker's jobs) share one statement.
   */
  recordSpamScore(id: string, score: number, reasons: Reason[]): Promise<boolean> {
    return this.scores.submit({ id, score, reasons: JSON.stringify(reasons) });
  }

  private async recordSpamScores(
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
   * Trusted mode: did the author send the receipt of an approved comment of theirs on this
   * site (same address: blind index)? The receipts were verified at intake; approval is checked
   * now. Knowing an address alone proves nothing; holding the receipt of an approved comment
   * written with it does.
   */
  async hasApprovedByReceipt(
    comment: Pick<CommentRow, 'id' | 'siteId' | 'emailIndex' | 'trustReceipts'>,
  ): Promise<boolean> {
    if (!comment.emailIndex || !comment.trustReceipts?.length) return false;
    const rows: unknown[] = await this.prepared.query(
      `SELECT 1 FROM comments
       WHERE id = ANY($1::uuid[]) AND site_id = $2 AND status = 'approved'
         AND email_index = ANY($3::bytea[]) AND id <> $4
       LIMIT 1`,
      [comment.trustReceipts, comment.siteId, [comment.emailIndex], comment.id],
    );
    return rows.length > 0;
  }

  /**
   * Trusted mode, for an address confirmed by mail: has it an approved comment on the site?
   * (Never trust on its own: only after the confirmation proved the reader reads that mailbox.)
   */
  async addressHasApproved(
    comment: Pick<CommentRow, 'id' | 'siteId' | 'emailIndex'>,
  ): Promise<boolean> {
    if (!comment.emailIndex) return false;
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM comments
       WHERE email_index = ANY($1::bytea[]) AND site_id = $2 AND status = 'approved' AND id <> $3
       LIMIT 1`,
      [[comment.emailIndex], comment.siteId, comment.id],
    );
    return rows.length > 0;
  }

  /** Trusted mode: has this verified author (SSO `sub`) an approved comment on the site? */
  async subjectHasApproved(
    comment: Pick<CommentRow, 'id' | 'siteId' | 'identitySub'>,
  ): Promise<boolean> {
    if (!comment.identitySub) return false;
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM comments
       WHERE identity_sub = $1 AND site_id = $2 AND status = 'approved' AND id <> $3 LIMIT 1`,
      [comment.identitySub, comment.siteId, comment.id],
    );
    return rows.length > 0;
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
