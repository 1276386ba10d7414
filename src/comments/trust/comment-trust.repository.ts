import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CommentStatus } from '../model/comment-status.js';
import type { Reason } from '../model/comment.entity.js';
import { EVENT_COMMENT_SQL, REDACT_EVENT_SQL } from '../views/comment-projection.js';

type Db = Pick<EntityManager, 'query'>;

/** The latest audit row of a comment: the decision that put it where it is. */
export interface DecisionRow {
  id: string;
  actor: string;
  action: string;
  toStatus: CommentStatus;
  reasonCode: string | null;
  reasons: Reason[];
  createdAt: Date;
}

/** What the author's receipt routes need of their comment. */
export interface AuthorCommentRow {
  id: string;
  siteId: string;
  articleId: string;
  status: CommentStatus;
  body: string;
  createdAt: Date;
  publishedAt: Date | null;
}

export interface RevisionRow {
  body: string;
  bodyHtml: string;
  replacedAt: Date;
}

export interface DecisionCountRow {
  automated: boolean;
  action: string;
  n: number;
}

/** Which audit actions are decisions about a comment (not the author's own, not intake). */
const DECISION_ACTIONS = ['approve', 'reject', 'spam', 'hold', 'delete', 'dismiss'];

/**
 * The comments module's trust-and-safety queries on `comments`, `moderation_actions` and
 * `comment_revisions`: author edits, statements of reasons, audit rows without a status change,
 * extra comment events, retention and the transparency figures.
 */
@Injectable()
export class CommentTrustRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async findForAuthor(id: string): Promise<AuthorCommentRow | null> {
    const rows: AuthorCommentRow[] = await this.db.query(
      `SELECT id, site_id AS "siteId", article_id AS "articleId", status, body,
              created_at AS "createdAt", published_at AS "publishedAt"
       FROM comments WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The decision that put the comment where it is: its latest audit row that changed (or set)
   * its status — not an upheld appeal or dismissed flags, which confirm a decision.
   */
  async latestDecision(commentId: string): Promise<DecisionRow | null> {
    const rows: DecisionRow[] = await this.db.query(
      `SELECT id, actor, action, to_status AS "toStatus", reason_code AS "reasonCode", reasons,
              created_at AS "createdAt"
       FROM moderation_actions
       WHERE comment_id = $1 AND action <> ALL('{uphold,dismiss}'::text[])
       ORDER BY id DESC LIMIT 1`,
      [commentId],
    );
    return rows[0] ?? null;
  }

  /**
   * The author's edit, as one statement: a compare-and-set back to `pending` with the new text
   * (score and reasons cleared, so both workers run again), the old text kept in
   * `comment_revisions`, the article's count and thread version, the audit row, the redaction
   * of the events stored before (the old text is no longer public) and a `comment.submitted`
   * event (previousStatus tells consumers it left where it was).
   */
  async editBody(input: {
    id: string;
    from: readonly CommentStatus[];
    body: string;
    bodyHtml: string;
    actor: string;
    reasons: Reason[];
    eventId: string;
  }): Promise<{ siteId: string; articleId: string; previousStatus: CommentStatus } | null> {
    const rows: Array<{ siteId: string; articleId: string; previousStatus: CommentStatus }> =
      await this.db.query(
        `WITH prev AS (SELECT id, status, body, body_html FROM comments WHERE id = $1 FOR UPDATE),
         changed AS (
           UPDATE comments c SET body = $3, body_html = $4, status = 'pending',
             spam_score = NULL, spam_reasons = '[]'::jsonb, moderation_reasons = '[]'::jsonb,
             edited_at = now(), updated_at = now()
           FROM prev WHERE c.id = prev.id AND prev.status = ANY($2::comment_status[])
           RETURNING c.*, prev.status AS previous_status, prev.body AS old_body,
             prev.body_html AS old_body_html
         ), revision AS (
           INSERT INTO comment_revisions (comment_id, body, body_html)
           SELECT id, old_body, old_body_html FROM changed RETURNING 1
         ), article AS (
           UPDATE articles a SET
             approved_count = a.approved_count - (ch.previous_status = 'approved')::int,
             thread_version = a.thread_version + 1, updated_at = now()
           FROM changed ch
           WHERE a.site_id = ch.site_id AND a.article_id = ch.article_id
             AND ch.published_at IS NOT NULL
           RETURNING 1
         ), audit AS (
           INSERT INTO moderation_actions (comment_id, site_id, actor, action, from_status,
             to_status, reasons)
           SELECT id, site_id, $5, 'edit', previous_status, 'pending', $6::jsonb FROM changed
           RETURNING 1
         ), redacted AS (
           -- The old text is public no more: events stored before the edit lose author and
           -- body, as on a take-down (the revision keeps it for moderators).
           UPDATE outbox_events o SET data = ${REDACT_EVENT_SQL}
           FROM changed ch
           WHERE o.subject = 'comments/' || ch.id AND o.data ? 'comment'
           RETURNING 1
         ), event AS (
           INSERT INTO outbox_events (event_id, type, source, subject, site_id, article_id, data)
           SELECT $7, 'comment.submitted', '/sites/' || site_id, 'comments/' || id, site_id,
             article_id, jsonb_build_object('comment', ${EVENT_COMMENT_SQL},
               'previousStatus', previous_status, 'reasons', $6::jsonb)
           FROM changed RETURNING 1
         )
         SELECT site_id AS "siteId", article_id AS "articleId", previous_status AS "previousStatus"
         FROM changed`,
        [
          input.id,
          input.from,
          input.body,
          input.bodyHtml,
          input.actor,
          JSON.stringify(input.reasons),
          input.eventId,
        ],
      );
    return rows[0] ?? null;
  }

  /** An audit row for a decision that changes no status (dismissing flags, upholding). */
  async recordAction(
    db: Db,
    input: {
      commentId: string;
      actor: string;
      action: string;
      reason: string | null;
      reasonCode?: string | null;
      reasons: Reason[];
    },
  ): Promise<void> {
    await db.query(
      `INSERT INTO moderation_actions (comment_id, site_id, actor, action, from_status, to_status,
         reason, reasons, reason_code)
       SELECT id, site_id, $2, $3, status, status, $4, $5::jsonb, $6 FROM comments WHERE id = $1`,
      [
        input.commentId,
        input.actor,
        input.action,
        input.reason,
        JSON.stringify(input.reasons),
        input.reasonCode ?? null,
      ],
    );
  }

  /**
   * An event about a comment that changes no status (`comment.flagged`): the comment as every
   * event carries it, plus `extra` (never anything about a reader).
   */
  async appendCommentEvent(
    db: Db,
    input: { commentId: string; type: string; eventId: string; extra: Record<string, unknown> },
  ): Promise<void> {
    await db.query(
      `INSERT INTO outbox_events (event_id, type, source, subject, site_id, article_id, data)
       SELECT $2, $3, '/sites/' || site_id, 'comments/' || id, site_id, article_id,
         jsonb_build_object('comment', ${EVENT_COMMENT_SQL}, 'previousStatus', status,
           'reasons', '[]'::jsonb) || $4::jsonb
       FROM comments WHERE id = $1`,
      [input.commentId, input.eventId, input.type, JSON.stringify(input.extra)],
    );
  }

  /** Earlier texts of a comment, oldest first. */
  findRevisions(commentId: string): Promise<RevisionRow[]> {
    return this.db.query(
      `SELECT body, body_html AS "bodyHtml", created_at AS "replacedAt"
       FROM comment_revisions WHERE comment_id = $1 ORDER BY id`,
      [commentId],
    );
  }

  // Retention (bulk: no per-comment events; the run leaves one audit entry).

  /** Removes the client-address hashes of a site's comments created before `before`. */
  async clearIpIndexes(siteId: string, before: Date): Promise<number> {
    const [, n]: [unknown, number] = await this.db.query(
      `UPDATE comments SET ip_index = NULL
       WHERE site_id = $1 AND created_at < $2 AND ip_index IS NOT NULL`,
      [siteId, before],
    );
    return n;
  }

  /**
   * Deletes for good a site's rejected and spam comments decided before `before` (their audit
   * rows, flags, appeals and revisions go with them), except those that still hold up replies.
   */
  async deleteRejected(siteId: string, before: Date): Promise<number> {
    const [, n]: [unknown, number] = await this.db.query(
      `DELETE FROM comments c
       WHERE c.site_id = $1 AND c.status IN ('rejected', 'spam') AND c.updated_at < $2
         AND NOT EXISTS (SELECT 1 FROM comments d WHERE d.parent_id = c.id)`,
      [siteId, before],
    );
    return n;
  }

  /** Idempotency records are kept 24 hours: older keys and fingerprints are removed. */
  async releaseIdempotencyKeys(before: Date): Promise<number> {
    const [, n]: [unknown, number] = await this.db.query(
      `UPDATE comments SET idempotency_key = NULL, request_fingerprint = NULL
       WHERE created_at < $1 AND (idempotency_key IS NOT NULL OR request_fingerprint IS NOT NULL)`,
      [before],
    );
    return n;
  }

  // Transparency.

  async decisionCounts(
    siteIds: string[] | null,
    from: Date,
    to: Date,
  ): Promise<DecisionCountRow[]> {
    return this.db.query(
      `SELECT actor LIKE 'system:%' AS automated, action, count(*)::int AS n
       FROM moderation_actions
       WHERE action = ANY($1::text[]) AND created_at >= $2 AND created_at < $3
         AND ($4::varchar[] IS NULL OR site_id = ANY($4::varchar[]))
       GROUP BY 1, 2`,
      [DECISION_ACTIONS, from, to, siteIds],
    );
  }

  /** Decisions that took a comment down, by statement-of-reasons code. */
  async reasonCounts(
    siteIds: string[] | null,
    from: Date,
    to: Date,
  ): Promise<Array<{ code: string; n: number }>> {
    return this.db.query(
      `SELECT reason_code AS code, count(*)::int AS n FROM moderation_actions
       WHERE reason_code IS NOT NULL AND created_at >= $1 AND created_at < $2
         AND ($3::varchar[] IS NULL OR site_id = ANY($3::varchar[]))
       GROUP BY 1`,
      [from, to, siteIds],
    );
  }

  /**
   * The median time, in minutes, a person took to decide: from the event that put the comment
   * before them (submission, a hold, an edit) to their decision.
   */
  async medianMinutesToHumanDecision(
    siteIds: string[] | null,
    from: Date,
    to: Date,
  ): Promise<number | null> {
    const rows: Array<{ median: number | null }> = await this.db.query(
      `WITH timed AS (
         SELECT a.actor, a.action, a.created_at,
           a.created_at - COALESCE(lag(a.created_at) OVER (PARTITION BY a.comment_id ORDER BY a.id),
                                   c.created_at) AS waited
         FROM moderation_actions a JOIN comments c ON c.id = a.comment_id
         WHERE ($3::varchar[] IS NULL OR a.site_id = ANY($3::varchar[]))
       )
       SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM waited) / 60)
         AS median
       FROM timed
       WHERE actor NOT LIKE 'system:%' AND actor <> 'author'
         AND action = ANY($4::text[]) AND created_at >= $1 AND created_at < $2`,
      [from, to, siteIds, DECISION_ACTIONS],
    );
    const median = rows[0]?.median;
    return median === null || median === undefined ? null : Math.round(Number(median) * 10) / 10;
  }
}
