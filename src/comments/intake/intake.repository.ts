import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MicroBatcher } from '../../common/batching/micro-batcher.js';
import { PreparedQueries } from '../../database/prepared-queries.js';
import type { CommentStatus } from '../model/comment-status.js';
import { INSERT_OUTBOX_EVENT } from '../../events/outbox.sql.js';

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
  /** The address is at a disposable-mail domain (a fact for the spam filter). */
  emailDisposable: boolean;
}

/** The `comment.submitted` event of a new comment, written with it. */
export interface SubmittedEvent {
  eventId: string;
  source: string;
  data: Record<string, unknown>;
}

/** One submission to commit: the comment, its event, and its site's `closeAfterDays`. */
export interface Submission {
  comment: NewComment;
  event: SubmittedEvent;
  closeAfterDays: number | null;
}

/**
 * `inserted`: the comment and its event are committed (false: the article is closed). `seen`
 * false: a concurrent first comment created the article after the statement's snapshot; try
 * again.
 */
export interface IntakeOutcome {
  inserted: boolean;
  seen: boolean;
}

/** The columns a new comment is inserted with (the single and the group statement). */
const INSERT_COMMENT = `INSERT INTO comments (id, site_id, article_id, parent_id, depth, path,
  root_key, author_name, author_website, author_avatar, email_ciphertext, email_key_id,
  email_index, ip_index, body, body_html, status, honeypot, pow_verified, idempotency_key,
  request_fingerprint, created_at, updated_at, trust_receipts, identity_sub, notify_replies,
  email_disposable)`;

/** The most submissions committed together (one statement, one transaction). */
const MAX_GROUP = 100;

/** The intake's statements: the insert with its article and event, replays, the parent. */
@Injectable()
export class IntakeRepository {
  /** The intake's constant statements, prepared once. */
  private readonly prepared: PreparedQueries;
  /**
   * Group commit: the first submission goes at once (a lone comment waits for nothing); those
   * arriving while a commit is on its way go together in the next one.
   */
  private readonly group = new MicroBatcher(
    (items: Submission[]) => this.commitGroup(items),
    MAX_GROUP,
  );

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.prepared = new PreparedQueries(db);
  }

  /**
   * Commits a submission — with the others that arrive meanwhile, in one statement and one
   * transaction — and answers once it is committed. A submission that fails (a constraint, a
   * lost connection) fails alone: a group that fails is retried one by one.
   */
  async insert(submission: Submission): Promise<IntakeOutcome> {
    const result = await this.group.submit(submission);
    if ('error' in result) throw result.error;
    return result;
  }

  private async commitGroup(
    items: Submission[],
  ): Promise<Array<IntakeOutcome | { error: unknown }>> {
    if (items.length > 1) {
      try {
        return await this.insertManyWithEvents(items);
      } catch {
        // One bad row (a unique key raced, a parent gone) or a deadlock: each on its own.
      }
    }
    return Promise.all(
      items.map(({ comment, event, closeAfterDays }) =>
        this.insertWithEvent(comment, event, closeAfterDays).catch((error: unknown) => ({
          error,
        })),
      ),
    );
  }

  /**
   * `insertWithEvent` for many submissions in one statement (so one round trip and one
   * transaction): the articles seen for the first time, the comments, their events; an
   * article's comments are refused together if it is closed. Answers in the order given.
   */
  async insertManyWithEvents(items: Submission[]): Promise<IntakeOutcome[]> {
    const column = <T>(pick: (item: Submission) => T) => items.map(pick);
    const rows: Array<{ inserted: boolean; seen: boolean }> = await this.prepared.query(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::int[],
           $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bytea[], $12::text[],
           $13::bytea[], $14::bytea[], $15::text[], $16::text[], $17::bool[], $18::bool[],
           $19::text[], $20::bytea[], $21::timestamptz[], $22::uuid[], $23::text[], $24::int[],
           $25::text[], $26::text[], $27::text[], $28::bool[], $29::bool[])
           WITH ORDINALITY AS i(id, site_id, article_id, parent_id, depth, path, root_key,
             author_name, author_website, author_avatar, email_ciphertext, email_key_id,
             email_index, ip_index, body, body_html, honeypot, pow_verified, idempotency_key,
             request_fingerprint, created_at, event_id, source, close_after_days, data,
             trust_receipts, identity_sub, notify_replies, email_disposable, ord)
       ), keys AS (
         SELECT site_id, article_id, min(created_at) AS first_at
         FROM input GROUP BY site_id, article_id
       ), existing AS (
         SELECT a.site_id, a.article_id, a.closed, a.first_comment_at
         FROM articles a JOIN keys k ON a.site_id = k.site_id AND a.article_id = k.article_id
       ), created AS (
         INSERT INTO articles (site_id, article_id, first_comment_at)
         SELECT k.site_id, k.article_id, k.first_at FROM keys k
         WHERE NOT EXISTS (SELECT 1 FROM existing e
                           WHERE e.site_id = k.site_id AND e.article_id = k.article_id)
         ORDER BY k.site_id, k.article_id
         ON CONFLICT (site_id, article_id) DO NOTHING
         RETURNING site_id, article_id, closed, first_comment_at
       ), article AS (
         SELECT * FROM existing UNION ALL SELECT * FROM created
       ), open AS (
         SELECT i.* FROM input i
         JOIN article a ON a.site_id = i.site_id AND a.article_id = i.article_id
         WHERE NOT a.closed AND (i.close_after_days IS NULL OR a.first_comment_at IS NULL
           OR a.first_comment_at > i.created_at - make_interval(days => i.close_after_days))
       ), first AS (
         UPDATE articles a SET first_comment_at = f.first_at
         FROM (SELECT site_id, article_id, min(created_at) AS first_at
               FROM open GROUP BY site_id, article_id) f
         WHERE a.site_id = f.site_id AND a.article_id = f.article_id
           AND a.first_comment_at IS NULL
           AND EXISTS (SELECT 1 FROM existing e WHERE e.site_id = f.site_id
                       AND e.article_id = f.article_id AND e.first_comment_at IS NULL)
         RETURNING 1
       ), comment AS (
         ${INSERT_COMMENT}
         SELECT id, site_id, article_id, parent_id, depth, path, root_key, author_name,
           author_website, author_avatar, email_ciphertext, email_key_id, email_index, ip_index,
           body, body_html, 'pending', honeypot, pow_verified, idempotency_key,
           request_fingerprint, created_at, created_at, trust_receipts::uuid[], identity_sub,
           notify_replies, email_disposable
         FROM open ORDER BY ord
         RETURNING id
       ), event AS (
         ${INSERT_OUTBOX_EVENT}
         SELECT o.event_id, 'comment.submitted', o.source, 'comments/' || o.id, o.site_id,
           o.article_id, o.data::jsonb
         FROM open o ORDER BY o.ord
         RETURNING sequence
       )
       SELECT EXISTS (SELECT 1 FROM comment c WHERE c.id = i.id) AS inserted,
              EXISTS (SELECT 1 FROM article a
                      WHERE a.site_id = i.site_id AND a.article_id = i.article_id) AS seen
       FROM input i ORDER BY i.ord`,
      [
        column((s) => s.comment.id),
        column((s) => s.comment.siteId),
        column((s) => s.comment.articleId),
        column((s) => s.comment.parentId),
        column((s) => s.comment.depth),
        column((s) => s.comment.path),
        column((s) => s.comment.rootKey),
        column((s) => s.comment.authorName),
        column((s) => s.comment.authorWebsite),
        column((s) => s.comment.authorAvatar),
        column((s) => s.comment.emailCiphertext),
        column((s) => s.comment.emailKeyId),
        column((s) => s.comment.emailIndex),
        column((s) => s.comment.ipIndex),
        column((s) => s.comment.body),
        column((s) => s.comment.bodyHtml),
        column((s) => s.comment.honeypot),
        column((s) => s.comment.powVerified),
        column((s) => s.comment.idempotencyKey),
        column((s) => s.comment.requestFingerprint),
        column((s) => s.comment.createdAt),
        column((s) => s.event.eventId),
        column((s) => s.event.source),
        column((s) => s.closeAfterDays),
        column((s) => JSON.stringify(s.event.data)),
        // uuid[] per row: as array literals (verified UUIDs), cast in the statement.
        column((s) => (s.comment.trustReceipts ? `{${s.comment.trustReceipts.join(',')}}` : null)),
        column((s) => s.comment.identitySub),
        column((s) => s.comment.notifyReplies),
        column((s) => s.comment.emailDisposable),
      ],
    );
    return rows.map((r) => ({ inserted: r.inserted, seen: r.seen }));
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
    event: SubmittedEvent,
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
         ${INSERT_COMMENT}
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'pending',
           $17, $18, $19, $20, $21, $21, $26::uuid[], $27, $28, $29 FROM open
         RETURNING id
       ), event AS (
         ${INSERT_OUTBOX_EVENT}
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
        c.emailDisposable,
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
