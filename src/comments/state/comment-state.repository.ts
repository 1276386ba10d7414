import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { PreparedQueries } from '../../database/prepared-queries.js';
import type { CommentStatus } from '../model/comment-status.js';
import type { Reason } from '../model/comment.entity.js';
import {
  EVENT_COMMENT_SQL,
  REDACT_EVENT_SQL,
  ROW_FIELDS,
  selectColumns,
} from '../views/comment-projection.js';
import type { CommentRow } from '../views/comment-views.js';
import { INSERT_OUTBOX_EVENT } from '../../events/outbox.sql.js';

/** What a feature or unfeature changed: the comment, or why nothing changed. */
export type FeatureOutcome =
  | { changed: true; siteId: string; articleId: string }
  | { changed: false; status: CommentStatus | null; featured: boolean };

/** One compare-and-set: see `changeStatus`. */
export interface StatusChangeInput {
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
}

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
         ${INSERT_OUTBOX_EVENT}
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
   * here, exactly as `toEventComment` builds it — a test holds the two together); redacts the
   * comment's stored events on a take-down. Returns the updated row with the status it had, or
   * null when it was not in `from` (then nothing at all changed).
   */
  async changeStatus(
    db: Pick<EntityManager, 'query'>,
    change: StatusChangeInput,
  ): Promise<StatusChange | null> {
    const [result] = await this.changeStatuses(db, [change]);
    return result;
  }

  /**
   * `changeStatus` for many comments (a worker's batch) in one statement, so in one
   * transaction: each change is its own compare-and-set (the ones whose comment moved on change
   * nothing and answer null), the articles' counts move by their sums, every audit row and
   * event is written, in the order given. A comment named twice changes once (the first).
   * Comments are locked in id order and articles in key order, so that two batches (or a batch
   * and a moderator) touching the same rows wait for each other instead of deadlocking.
   */
  async changeStatuses(
    db: Pick<EntityManager, 'query'>,
    changes: StatusChangeInput[],
  ): Promise<Array<StatusChange | null>> {
    const first = new Map<string, number>();
    changes.forEach((c, i) => {
      if (!first.has(c.id)) first.set(c.id, i);
    });
    const todo = [...first.values()].map((i) => changes[i]);
    if (todo.length === 0) return [];
    const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
    const rows: Array<CommentRow & { previousStatus: CommentStatus; ord: string }> = await db.query(
      `WITH v AS (
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::comment_status[], $4::jsonb[],
                                $5::real[], $6::jsonb[], $7::text[], $8::text[], $9::text[],
                                $10::jsonb[], $11::uuid[], $12::text[], $13::text[])
             WITH ORDINALITY AS v(id, from_statuses, to_status, moderation_reasons, spam_score,
               spam_reasons, actor, action, reason, reasons, event_id, event_type, reason_code,
               ord)
         ), prev AS (
           SELECT c.id, c.status, c.published_at, c.edited_at FROM comments c
           WHERE c.id = ANY($1::uuid[]) ORDER BY c.id FOR UPDATE
         ), changed AS (
           UPDATE comments c SET
             status = v.to_status,
             updated_at = now(),
             -- An author's edit of a published comment is published again when approved.
             published_at = CASE WHEN v.to_status <> 'approved' THEN c.published_at
                                 WHEN c.edited_at > c.published_at THEN now()
                                 ELSE COALESCE(c.published_at, now()) END,
             deleted_at = CASE WHEN v.to_status = 'deleted' THEN now() ELSE c.deleted_at END,
             moderation_reasons = COALESCE(v.moderation_reasons, c.moderation_reasons),
             spam_score = COALESCE(v.spam_score, c.spam_score),
             spam_reasons = COALESCE(v.spam_reasons, c.spam_reasons)
           FROM prev JOIN v ON v.id = prev.id
           WHERE c.id = prev.id AND prev.status = ANY(v.from_statuses::comment_status[])
           RETURNING c.*, prev.status AS previous_status,
             (prev.edited_at > prev.published_at) AS republished_edit,
             v.actor AS change_actor, v.action AS change_action, v.reason AS change_reason,
             v.reasons AS change_reasons, v.event_id AS change_event_id,
             v.event_type AS change_event_type, v.reason_code AS change_reason_code,
             v.ord AS change_ord
         ), article AS (
           UPDATE articles a SET
             approved_count = a.approved_count + d.delta,
             thread_version = a.thread_version + 1, updated_at = now()
           FROM (SELECT site_id, article_id,
                        sum((status = 'approved')::int - (previous_status = 'approved')::int)
                          AS delta
                 FROM changed
                 WHERE (status = 'approved') <> (previous_status = 'approved')
                    OR (published_at IS NOT NULL AND previous_status <> status)
                 GROUP BY site_id, article_id ORDER BY site_id, article_id) d
           WHERE a.site_id = d.site_id AND a.article_id = d.article_id
           RETURNING 1
         ), audit AS (
           INSERT INTO moderation_actions (comment_id, site_id, actor, action, from_status,
             to_status, reason, reasons, reason_code)
           SELECT id, site_id, change_actor, change_action, previous_status, status,
             change_reason, change_reasons, change_reason_code
           FROM changed ORDER BY change_ord RETURNING 1
         ), redacted AS (
           -- A take-down (or anything that leaves approved) redacts what was stored before:
           -- only what is public now may be replayed, pulled or retried.
           UPDATE outbox_events o SET data = ${REDACT_EVENT_SQL}
           FROM changed ch
           WHERE o.subject = 'comments/' || ch.id AND o.data ? 'comment'
             AND (ch.status IN ('rejected', 'spam', 'deleted')
                  OR (ch.previous_status = 'approved' AND ch.status <> 'approved'))
           RETURNING 1
         ), event AS (
           ${INSERT_OUTBOX_EVENT}
           SELECT change_event_id,
             CASE WHEN status = 'approved' AND republished_edit
                  THEN 'comment.edited' ELSE change_event_type END,
             '/sites/' || site_id, 'comments/' || id, site_id, article_id,
             jsonb_build_object(
               'comment', ${EVENT_COMMENT_SQL},
               'previousStatus', previous_status,
               'reasons', change_reasons)
           FROM changed ORDER BY change_ord RETURNING sequence
         )
         SELECT ${selectColumns(ROW_FIELDS, 'ch')}, ch.previous_status AS "previousStatus",
           ch.change_ord AS ord
         FROM changed ch`,
      [
        todo.map((c) => c.id),
        todo.map((c) => `{${c.from.join(',')}}`),
        todo.map((c) => c.to),
        todo.map((c) => json(c.moderationReasons)),
        todo.map((c) => c.spam?.score ?? null),
        todo.map((c) => json(c.spam?.reasons)),
        todo.map((c) => c.actor),
        todo.map((c) => c.action),
        todo.map((c) => c.reason),
        todo.map((c) => JSON.stringify(c.reasons)),
        todo.map((c) => c.event.eventId),
        todo.map((c) => c.event.type),
        todo.map((c) => c.reasonCode ?? null),
      ],
    );
    // `ord` numbers `todo` from 1; `todo[k]` is `changes[indexes[k]]`.
    const indexes = [...first.values()];
    const results: Array<StatusChange | null> = changes.map(() => null);
    for (const { previousStatus, ord, ...comment } of rows) {
      results[indexes[Number(ord) - 1]] = { row: comment, previousStatus };
    }
    return results;
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
