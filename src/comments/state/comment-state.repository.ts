import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { PreparedQueries } from '../../database/prepared-queries.js';
import type { CommentStatus } from '../model/comment-status.js';
import type { Reason } from '../model/comment.entity.js';
import { COMMENT_ROW, EVENT_COMMENT_SQL, REDACT_EVENT_SQL } from '../views/comment-projection.js';
import type { CommentRow } from '../views/comment-views.js';

/** What a feature or unfeature changed: the comment, or why nothing changed. */
export type FeatureOutcome =
  | { changed: true; siteId: string; articleId: string }
  | { changed: false; status: CommentStatus | null; featured: boolean };

export interface StatusChange {
  row: CommentRow;
  previousStatus: CommentStatus;
}

/** Status changes (the compare-and-set), featuring, and what the sweeper re-drives. */
@Injectable()
export class CommentStateRepository {
  /** The hot paths' constant statements, prepared once. */
  private readonly prepared: PreparedQueries;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.prepared = new PreparedQueries(db);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Runs one constant statement on the pool (its own transaction), prepared. */
  run<T>(work: (db: Pick<EntityManager, 'query'>) => Promise<T>): Promise<T> {
    return work(this.prepared);
  }

  /**
   * Features (or unfeatures) an approved comment in one statement with its audit row and its
   * `comment.featured` event (whose comment carries `featured`). Featuring needs the comment
   * approved; unfeaturing works in any status. Nothing changes (and no event) when it already
   * is as asked.
   */
  async setFeatured(input: {
    id: string;
    featured: boolean;
    actor: string;
    reason: string | null;
    eventId: string;
  }): Promise<FeatureOutcome> {
    const action = input.featured ? 'feature' : 'unfeature';
    const rows: Array<{ siteId: string; articleId: string }> = await this.db.query(
      `WITH changed AS (
         UPDATE comments c SET featured_at = CASE WHEN $2 THEN now() END, updated_at = now()
         WHERE c.id = $1 AND (c.featured_at IS NULL) = $2
           AND ($2 = false OR c.status = 'approved')
         RETURNING c.*
       ), audit AS (
         INSERT INTO moderation_actions (comment_id, site_id, actor, action, from_status,
           to_status, reason, reasons)
         SELECT id, site_id, $3, $4, status, status, $5, $6::jsonb FROM changed RETURNING 1
       ), event AS (
         INSERT INTO outbox_events (event_id, type, source, subject, site_id, article_id, data)
         SELECT $7, 'comment.featured', '/sites/' || site_id, 'comments/' || id, site_id,
           article_id,
           jsonb_build_object(
             'comment', ${EVENT_COMMENT_SQL} || jsonb_build_object('featured', $2),
             'previousStatus', status,
             'reasons', $6::jsonb)
         FROM changed RETURNING sequence
       )
       SELECT site_id AS "siteId", article_id AS "articleId" FROM changed`,
      [
        input.id,
        input.featured,
        input.actor,
        action,
        input.reason,
        JSON.stringify([
          {
            code: `moderator-${action}`,
            message:
              input.reason ||
              (input.featured ? 'A moderator featured the comment' : 'A moderator unfeatured it'),
          },
        ]),
        input.eventId,
      ],
    );
    if (rows[0]) return { changed: true, ...rows[0] };
    const now: Array<{ status: CommentStatus; featured: boolean }> = await this.db.query(
      `SELECT status, featured_at IS NOT NULL AS featured FROM comments WHERE id = $1`,
      [input.id],
    );
    return { changed: false, status: now[0]?.status ?? null, featured: now[0]?.featured ?? false };
  }

  /**
   * The compare-and-set, in one statement with everything that must change with it: moves a
   * comment to `to` only if its status is one of `from`; keeps the article's approved count
   * and thread version in step; writes the audit row; appends the event (its comment built
   * here, exactly as `toEventComment` builds it — a test holds the two together). Returns the updated row with the status it had, or null when
   * it was not in `from` (then nothing at all changed).
   */
  async changeStatus(
    db: Pick<EntityManager, 'query'>,
    input: {
      id: string;
      from: readonly CommentStatus[];
      to: Exclude<CommentStatus, 'pending'>;
      moderationReasons?: Reason[];
      spam?: { score: number; reasons: Reason[] };
      actor: string;
      action: string;
      reason: string | null;
      reasons: Reason[];
      /** Statement of reasons: the decision's reason code (audit row). */
      reasonCode?: string | null;
      event: { eventId: string; type: string };
    },
  ): Promise<StatusChange | null> {
    const rows: Array<CommentRow & { previousStatus: CommentStatus }> = await db.query(
      `WITH prev AS (SELECT id, status, published_at, edited_at FROM comments
                     WHERE id = $1 FOR UPDATE),
       changed AS (
         UPDATE comments c SET
           status = $3::comment_status,
           updated_at = now(),
           -- An author's edit of a published comment is published again when approved.
           published_at = CASE WHEN $3::comment_status <> 'approved' THEN c.published_at
                               WHEN c.edited_at > c.published_at THEN now()
                               ELSE COALESCE(c.published_at, now()) END,
           deleted_at = CASE WHEN $3::comment_status = 'deleted' THEN now() ELSE c.deleted_at END,
           moderation_reasons = COALESCE($4::jsonb, c.moderation_reasons),
           spam_score = COALESCE($5::real, c.spam_score),
           spam_reasons = COALESCE($6::jsonb, c.spam_reasons)
         FROM prev
         WHERE c.id = prev.id AND prev.status = ANY($2::comment_status[])
         RETURNING c.*, prev.status AS previous_status,
           (prev.edited_at > prev.published_at) AS republished_edit
       ), article AS (
         UPDATE articles a SET
           approved_count = a.approved_count + ($3::comment_status = 'approved')::int
                                             - (ch.previous_status = 'approved')::int,
           thread_version = a.thread_version + 1, updated_at = now()
         FROM changed ch
         WHERE a.site_id = ch.site_id AND a.article_id = ch.article_id
           AND (($3::comment_status = 'approved') <> (ch.previous_status = 'approved')
                OR (ch.published_at IS NOT NULL AND ch.previous_status <> $3::comment_status))
         RETURNING 1
       ), audit AS (
         INSERT INTO moderation_actions (comment_id, site_id, actor, action, from_status,
           to_status, reason, reasons, reason_code)
         SELECT id, site_id, $7, $8, previous_status, $3::comment_status, $9, $10::jsonb, $13
         FROM changed RETURNING 1
       ), redacted AS (
         -- A take-down (or anything that leaves approved) redacts what was stored before: only
         -- what is public now may be replayed, pulled or retried.
         UPDATE outbox_events o SET data = ${REDACT_EVENT_SQL}
         FROM changed ch
         WHERE o.subject = 'comments/' || ch.id AND o.data ? 'comment'
           AND ($3::comment_status IN ('rejected', 'spam', 'deleted')
                OR (ch.previous_status = 'approved' AND $3::comment_status <> 'approved'))
         RETURNING 1
       ), event AS (
         INSERT INTO outbox_events (event_id, type, source, subject, site_id, article_id, data)
         SELECT $11,
           CASE WHEN $3::comment_status = 'approved' AND republished_edit
                THEN 'comment.edited' ELSE $12 END,
           '/sites/' || site_id, 'comments/' || id, site_id, article_id,
           jsonb_build_object(
             'comment', ${EVENT_COMMENT_SQL},
             'previousStatus', previous_status,
             'reasons', $10::jsonb)
         FROM changed RETURNING sequence
       )
       SELECT ${COMMENT_ROW.replace(/\bc\./g, 'ch.')}, ch.previous_status AS "previousStatus"
       FROM changed ch`,
      [
        input.id,
        input.from,
        input.to,
        input.moderationReasons ? JSON.stringify(input.moderationReasons) : null,
        input.spam?.score ?? null,
        input.spam ? JSON.stringify(input.spam.reasons) : null,
        input.actor,
        input.action,
        input.reason,
        JSON.stringify(input.reasons),
        input.event.eventId,
        input.event.type,
        input.reasonCode ?? null,
      ],
    );
    const row = rows[0];
    if (!row) return null;
    const { previousStatus, ...comment } = row;
    return { row: comment, previousStatus };
  }

  /** Comments still pending after `olderThan`, oldest first: the sweeper queues them again. */
  async findStalePending(
    olderThan: Date,
    limit: number,
  ): Promise<Array<{ id: string; scored: boolean; updatedAt: Date }>> {
    return this.db.query(
      `SELECT id, spam_score IS NOT NULL AS scored, updated_at AS "updatedAt" FROM comments
       WHERE status = 'pending' AND updated_at < $1
       ORDER BY created_at, id LIMIT $2`,
      [olderThan, limit],
    );
  }
}
