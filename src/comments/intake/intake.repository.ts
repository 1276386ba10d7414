import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PreparedQueries } from '../../database/prepared-queries.js';
import type { CommentStatus } from '../model/comment-status.js';

export interface NewComment {
  id: string;
  siteId: string;
  articleId: string;
  parentId: string | null;
  depth: number;
  path: string;
  rootKey: string;
  authorName: string;
  authorWebsite: string | null;
  authorAvatar: string;
  emailCiphertext: Buffer;
  emailKeyId: string;
  emailIndex: Buffer;
  ipIndex: Buffer | null;
  body: string;
  bodyHtml: string;
  honeypot: boolean;
  powVerified: boolean | null;
  idempotencyKey: string | null;
  requestFingerprint: Buffer | null;
  createdAt: Date;
  /** Ids of the author's earlier comments whose receipts came with this one (verified). */
  trustReceipts: string[] | null;
  /** The publisher's verified identity (`sub` of the SSO token), or null. */
  identitySub: string | null;
  /** The author asked for mail about replies (`notify: "replies"`). */
  notifyReplies: boolean;
}

/** The intake's statements: the insert with its article and event, replays, the parent. */
@Injectable()
export class IntakeRepository {
  /** The intake's constant statements, prepared once. */
  private readonly prepared: PreparedQueries;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.prepared = new PreparedQueries(db);
  }

  /**
   * The intake in one statement (so one round trip and its own transaction): the article row
   * if this is its first comment, the comment, and its `comment.submitted` event in the outbox
   * — unless the article is closed, by an admin or
   * `closeAfterDays` after its first comment. `seen` is 0 when a concurrent first comment
   * created the article after this statement's snapshot: try again.
   */
  async insertWithEvent(
    c: NewComment,
    event: { eventId: string; source: string; data: Record<string, unknown> },
    closeAfterDays: number | null,
  ): Promise<{ inserted: boolean; seen: boolean }> {
    const rows: Array<{ inserted: number; seen: number }> = await this.prepared.query(
      `WITH existing AS (
         SELECT closed, first_comment_at FROM articles WHERE site_id = $2 AND article_id = $3
       ), created AS (
         INSERT INTO articles (site_id, article_id, first_comment_at)
         SELECT $2, $3, $21 WHERE NOT EXISTS (SELECT 1 FROM existing)
         ON CONFLICT (site_id, article_id) DO NOTHING
         RETURNING closed, first_comment_at
       ), article AS (
         SELECT * FROM existing UNION ALL SELECT * FROM created
       ), open AS (
         SELECT 1 AS ok FROM article WHERE NOT closed AND ($24::int IS NULL
           OR first_comment_at IS NULL OR first_comment_at > $21 - make_interval(days => $24::int))
       ), first AS (
         UPDATE articles SET first_comment_at = $21
         WHERE site_id = $2 AND article_id = $3 AND first_comment_at IS NULL
           AND EXISTS (SELECT 1 FROM existing WHERE first_comment_at IS NULL)
           AND EXISTS (SELECT 1 FROM open)
         RETURNING 1
       ), comment AS (
         INSERT INTO comments (id, site_id, article_id, parent_id, depth, path, root_key,
           author_name, author_website, author_avatar, email_ciphertext, email_key_id,
           email_index, ip_index, body, body_html, status, honeypot, pow_verified,
           idempotency_key, request_fingerprint, created_at, updated_at, trust_receipts,
           identity_sub, notify_replies)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'pending',
           $17, $18, $19, $20, $21, $21, $26::uuid[], $27, $28 FROM open
         RETURNING id
       ), event AS (
         INSERT INTO outbox_events (event_id, type, source, subject, site_id, article_id, data)
         SELECT $22, 'comment.submitted', $23, 'comments/' || comment.id, $2, $3, $25 FROM comment
         RETURNING sequence
       )
       SELECT (SELECT count(*) FROM comment)::int AS inserted,
              (SELECT count(*) FROM article)::int AS seen`,
      [
        c.id,
        c.siteId,
        c.articleId,
        c.parentId,
        c.depth,
        c.path,
        c.rootKey,
        c.authorName,
        c.authorWebsite,
        c.authorAvatar,
        c.emailCiphertext,
        c.emailKeyId,
        c.emailIndex,
        c.ipIndex,
        c.body,
        c.bodyHtml,
        c.honeypot,
        c.powVerified,
        c.idempotencyKey,
        c.requestFingerprint,
        c.createdAt,
        event.eventId,
        event.source,
        closeAfterDays,
        event.data,
        c.trustReceipts,
        c.identitySub,
        c.notifyReplies,
      ],
    );
    return { inserted: rows[0].inserted > 0, seen: rows[0].seen > 0 };
  }

  async findByIdempotencyKey(
    siteId: string,
    key: string,
  ): Promise<{ id: string; requestFingerprint: Buffer; createdAt: Date } | null> {
    const rows: Array<{ id: string; requestFingerprint: Buffer; createdAt: Date }> =
      await this.db.query(
        `SELECT id, request_fingerprint AS "requestFingerprint", created_at AS "createdAt"
         FROM comments WHERE site_id = $1 AND idempotency_key = $2`,
        [siteId, key],
      );
    return rows[0] ?? null;
  }

  /** Frees a key whose 24 hours are over, so it may be used again. */
  async releaseIdempotencyKey(siteId: string, key: string, olderThan: Date): Promise<void> {
    await this.db.query(
      `UPDATE comments SET idempotency_key = NULL, request_fingerprint = NULL
       WHERE site_id = $1 AND idempotency_key = $2 AND created_at < $3`,
      [siteId, key, olderThan],
    );
  }

  /** The parent of a reply, if it exists at all. */
  async findParent(id: string): Promise<{
    siteId: string;
    articleId: string;
    status: CommentStatus;
    depth: number;
    path: string;
  } | null> {
    const rows: Array<{
      siteId: string;
      articleId: string;
      status: CommentStatus;
      depth: number;
      path: string;
    }> = await this.prepared.query(
      `SELECT site_id AS "siteId", article_id AS "articleId", status, depth, path
       FROM comments WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }
}
