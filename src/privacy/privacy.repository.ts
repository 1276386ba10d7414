import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CommentStatus } from '../comments/model/comment-status.js';

/** A decision about one of the address's comments, as the audit (`moderation_actions`) has it. */
export interface ExportDecisionRow {
  commentId: string;
  action: string;
  fromStatus: CommentStatus | null;
  toStatus: CommentStatus;
  /** The moderator's own words, if any. */
  reason: string | null;
  reasons: Array<{ code: string; message?: string }>;
  createdAt: Date;
}

/** A ban of the address (masked: bans never hold the address itself). */
export interface ExportBanRow {
  id: string;
  siteId: string | null;
  emailMasked: string | null;
  reason: string;
  expiresAt: Date | null;
  createdAt: Date;
}

export interface ExportRow {
  id: string;
  siteId: string;
  articleId: string;
  parentId: string | null;
  status: CommentStatus;
  authorName: string | null;
  authorWebsite: string | null;
  authorAvatar: string | null;
  body: string;
  bodyHtml: string;
  moderationReasons: Array<{ code: string; message?: string }>;
  createdAt: Date;
  publishedAt: Date | null;
}

/** What an erased comment's reasons say instead of their texts (their codes stay). */
const ERASED_REASON = 'Removed at the author’s request';

/** Finding and scrubbing everything stored of one email address (by its blind indexes). */
@Injectable()
export class PrivacyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findComments(emailIndexes: Buffer[]): Promise<ExportRow[]> {
    return this.db.query(
      `SELECT id, site_id AS "siteId", article_id AS "articleId", parent_id AS "parentId", status,
              author_name AS "authorName", author_website AS "authorWebsite",
              author_avatar AS "authorAvatar", body, body_html AS "bodyHtml",
              moderation_reasons AS "moderationReasons", created_at AS "createdAt",
              published_at AS "publishedAt"
       FROM comments WHERE email_index = ANY($1::bytea[]) ORDER BY created_at, id`,
      [emailIndexes],
    );
  }

  /** Every decision about these comments, with the moderators' reasons, oldest first. */
  findDecisions(ids: string[]): Promise<ExportDecisionRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.query(
      `SELECT comment_id AS "commentId", action, from_status AS "fromStatus",
              to_status AS "toStatus", reason, reasons, created_at AS "createdAt"
       FROM moderation_actions WHERE comment_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [ids],
    );
  }

  /** Bans naming the address (by its blind indexes). */
  findEmailBans(emailIndexes: Buffer[]): Promise<ExportBanRow[]> {
    return this.db.query(
      `SELECT id, site_id AS "siteId", email_masked AS "emailMasked", reason,
              expires_at AS "expiresAt", created_at AS "createdAt"
       FROM bans WHERE email_index = ANY($1::bytea[]) ORDER BY created_at, id`,
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
      // Moderators' words about these comments may name the person: only the codes stay (the
      // messages become one neutral text).
      await manager.query(
        `UPDATE moderation_actions SET reason = NULL, reasons = (
           SELECT coalesce(jsonb_agg(jsonb_build_object('code', r->'code', 'message', $2::text)), '[]'::jsonb)
           FROM jsonb_array_elements(reasons) r)
         WHERE comment_id = ANY($1::uuid[])`,
        [ids, ERASED_REASON],
      );
      await manager.query(
        `UPDATE comments SET
           moderation_reasons = (SELECT coalesce(jsonb_agg(jsonb_build_object('code', r->'code', 'message', $2::text)),
                                                 '[]'::jsonb)
                                 FROM jsonb_array_elements(moderation_reasons) r),
           spam_reasons = (SELECT coalesce(jsonb_agg(jsonb_build_object('code', r->'code', 'message', $2::text)),
                                           '[]'::jsonb)
                           FROM jsonb_array_elements(spam_reasons) r)
         WHERE id = ANY($1::uuid[])`,
        [ids, ERASED_REASON],
      );
      await manager.query(
        `UPDATE outbox_events SET data = jsonb_set(data, '{reasons}', (
           SELECT coalesce(jsonb_agg(jsonb_build_object('code', r->'code', 'message', $2::text)), '[]'::jsonb)
           FROM jsonb_array_elements(data->'reasons') r))
         WHERE subject = ANY($1::varchar[]) AND jsonb_typeof(data->'reasons') = 'array'`,
        [ids.map((id) => `comments/${id}`), ERASED_REASON],
      );
      // Lessons for the spam filter hold hashed words of the body: they go too.
      await manager.query(`DELETE FROM spam_feedback WHERE comment_id = ANY($1::uuid[])`, [ids]);
      await manager.query(`DELETE FROM toxicity_feedback WHERE comment_id = ANY($1::uuid[])`, [
        ids,
      ]);
      // Trust and safety: earlier versions of edited comments, and the author's appeal texts.
      await manager.query(`DELETE FROM comment_revisions WHERE comment_id = ANY($1::uuid[])`, [
        ids,
      ]);
      await manager.query(`UPDATE appeals SET message = '' WHERE comment_id = ANY($1::uuid[])`, [
        ids,
      ]);
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
  /** Trust and safety: the address as a flag's contact is forgotten (the flag stays). */
  async forgetFlagContacts(emailIndexes: Buffer[]): Promise<number> {
    const [, affected]: [unknown, number] = await this.db.query(
      `UPDATE comment_flags SET email_ciphertext = NULL, email_key_id = NULL, email_index = NULL
       WHERE email_index = ANY($1::bytea[])`,
      [emailIndexes],
    );
    return affected;
  }

  async deleteEmailBans(emailIndexes: Buffer[]): Promise<number> {
    const [, affected]: [unknown, number] = await this.db.query(
      `DELETE FROM bans WHERE email_index = ANY($1::bytea[])`,
      [emailIndexes],
    );
    return affected;
  }
}
