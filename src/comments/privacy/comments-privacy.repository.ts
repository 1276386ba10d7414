import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { SubjectDecisionRow, SubjectExportRow } from '../views/comment-private-views.js';
import {
  ERASED_REASON,
  neutralReasonsSql,
  SUBJECT_EXPORT_ROW,
} from '../views/comment-projection.js';

/** The comments' part of data subject requests: a subject's comments, found and scrubbed. */
@Injectable()
export class CommentsPrivacyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findIds(emailIndexes: Buffer[]): Promise<Array<{ id: string }>> {
    return this.db.query(
      `SELECT id FROM comments WHERE email_index = ANY($1::bytea[]) ORDER BY created_at, id`,
      [emailIndexes],
    );
  }

  /** The distinct addresses (blind indexes) these comments were sent from. */
  async findIpIndexes(ids: string[]): Promise<Buffer[]> {
    if (!ids.length) return [];
    const rows: Array<{ ip_index: Buffer }> = await this.db.query(
      `SELECT DISTINCT ip_index FROM comments WHERE id = ANY($1::uuid[]) AND ip_index IS NOT NULL`,
      [ids],
    );
    return rows.map((row) => row.ip_index);
  }

  findComments(ids: string[]): Promise<SubjectExportRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.query(
      `SELECT ${SUBJECT_EXPORT_ROW} FROM comments c
       WHERE c.id = ANY($1::uuid[]) ORDER BY c.created_at, c.id`,
      [ids],
    );
  }

  /** Every decision about these comments, with the moderators' reasons, oldest first. */
  findDecisions(ids: string[]): Promise<SubjectDecisionRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.query(
      `SELECT comment_id AS "commentId", action, from_status AS "fromStatus",
              to_status AS "toStatus", reason, reasons, created_at AS "createdAt"
       FROM moderation_actions WHERE comment_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [ids],
    );
  }

  /**
   * Removes name, email, website, address and body of these comments for good; the
   * moderators' words about them (which may name the person) keep only their codes; earlier
   * versions of edited comments go.
   */
  async scrub(tx: EntityManager, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await tx.query(
      `UPDATE comments SET author_name = NULL, author_website = NULL, author_avatar = NULL,
         email_ciphertext = NULL, email_key_id = NULL, email_index = NULL, ip_index = NULL,
         body = '', body_html = '', idempotency_key = NULL, request_fingerprint = NULL,
         identity_sub = NULL, notify_replies = false, updated_at = now(),
         moderation_reasons = ${neutralReasonsSql('moderation_reasons')},
         spam_reasons = ${neutralReasonsSql('spam_reasons')}
       WHERE id = ANY($1::uuid[])`,
      [ids, ERASED_REASON],
    );
    await tx.query(
      `UPDATE moderation_actions SET reason = NULL, reasons = ${neutralReasonsSql('reasons')}
       WHERE comment_id = ANY($1::uuid[])`,
      [ids, ERASED_REASON],
    );
    await tx.query(`DELETE FROM comment_revisions WHERE comment_id = ANY($1::uuid[])`, [ids]);
  }
}
