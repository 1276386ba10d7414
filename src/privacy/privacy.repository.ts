import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CommentStatus } from '../comments/comment-status.js';

export interface ExportRow {
  id: string;
  siteId: string;
  articleId: string;
  parentId: string | null;
  status: CommentStatus;
  authorName: string | null;
  authorWebsite: string | null;
  body: string;
  bodyHtml: string;
  createdAt: Date;
  publishedAt: Date | null;
}

/** Finding and scrubbing everything stored of one email address (by its blind indexes). */
@Injectable()
export class PrivacyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findComments(emailIndexes: Buffer[]): Promise<ExportRow[]> {
    return this.db.query(
      `SELECT id, site_id AS "siteId", article_id AS "articleId", parent_id AS "parentId", status,
              author_name AS "authorName", author_website AS "authorWebsite", body,
              body_html AS "bodyHtml", created_at AS "createdAt", published_at AS "publishedAt"
       FROM comments WHERE email_index = ANY($1::bytea[]) ORDER BY created_at, id`,
      [emailIndexes],
    );
  }

  /**
   * Removes name, email, website, address and body of these comments for good, and the same
   * from the events already written about them. One transaction.
   */
  async scrub(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.db.transaction(async (manager) => {
      await manager.query(
        `UPDATE comments SET author_name = NULL, author_website = NULL, author_avatar = NULL,
           email_ciphertext = NULL, email_key_id = NULL, email_index = NULL, ip_index = NULL,
           body = '', body_html = '', idempotency_key = NULL, request_fingerprint = NULL,
           identity_sub = NULL, notify_replies = false, updated_at = now()
         WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      await manager.query(
        `UPDATE outbox_events SET data = jsonb_set(jsonb_set(jsonb_set(data,
             '{comment,author}', 'null'), '{comment,bodyHtml}', '""'), '{comment,deleted}', 'true')
         WHERE subject = ANY($1::varchar[]) AND data ? 'comment'`,
        [ids.map((id) => `comments/${id}`)],
      );
      // Lessons for the spam filter hold hashed words of the body: they go too.
      await manager.query(`DELETE FROM spam_feedback WHERE comment_id = ANY($1::uuid[])`, [ids]);
    });
  }

  /** Where the events about these comments sit in the published log (Redis Stream entry ids). */
  async findEventPositions(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: Array<{ position: string }> = await this.db.query(
      `SELECT position::text AS position FROM outbox_events
       WHERE subject = ANY($1::varchar[]) AND position IS NOT NULL`,
      [ids.map((id) => `comments/${id}`)],
    );
    return rows.map((r) => r.position);
  }

  /** Bans naming the address: they hold its blind index and ciphertext, so they go too. */
  async deleteEmailBans(emailIndexes: Buffer[]): Promise<number> {
    const [, affected]: [unknown, number] = await this.db.query(
      `DELETE FROM bans WHERE email_index = ANY($1::bytea[])`,
      [emailIndexes],
    );
    return affected;
  }
}
