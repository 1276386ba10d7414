import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { MicroBatcher } from '../common/batching/micro-batcher.js';
import { UUID_PATTERN } from '../common/http/identifiers.js';
import { PreparedQueries } from '../database/prepared-queries.js';
import type { CommentStatus } from './comment-status.js';
import type { Reason } from './comment.entity.js';
import type { CommentRow } from './comment.mapper.js';

/** Columns of a CommentRow, aliased to camelCase. */
const ROW = `c.id, c.site_id AS "siteId", c.article_id AS "articleId", c.parent_id AS "parentId",
  c.depth, c.path, c.root_key AS "rootKey", c.author_name AS "authorName",
  c.author_website AS "authorWebsite", c.author_avatar AS "authorAvatar", c.body,
  c.body_html AS "bodyHtml", c.status, c.spam_score AS "spamScore", c.spam_reasons AS "spamReasons",
  c.moderation_reasons AS "moderationReasons", c.honeypot, c.pow_verified AS "powVerified",
  c.email_index AS "emailIndex", c.ip_index AS "ipIndex", c.created_at AS "createdAt",
  c.published_at AS "publishedAt", c.email_ciphertext AS "emailCiphertext",
  c.email_key_id AS "emailKeyId", c.trust_receipts AS "trustReceipts",
  c.identity_sub AS "identitySub"`;

const ISO = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * `toEventComment` in SQL, over the `changed` row: the public shape (a tombstone once deleted,
 * no author once erased) plus site, article and status.
 */
export const EVENT_COMMENT_SQL = `jsonb_build_object(
    'id', id, 'parentId', parent_id, 'depth', depth,
    'author', CASE WHEN status IN ('deleted', 'rejected', 'spam') OR author_name IS NULL
              THEN 'null'::jsonb
              ELSE jsonb_build_object('name', author_name, 'website', author_website,
                                      'avatar', author_avatar) END,
    'bodyHtml', CASE WHEN status IN ('deleted', 'rejected', 'spam') THEN '' ELSE body_html END,
    'createdAt', ${ISO('created_at')},
    'publishedAt', ${ISO('published_at')},
    'siteId', site_id, 'articleId', article_id, 'status', status)
  || CASE WHEN status = 'deleted' THEN '{"deleted": true}'::jsonb
          WHEN status IN ('rejected', 'spam') THEN '{"redacted": true}'::jsonb
          ELSE '{}'::jsonb END`;

/**
 * What a take-down does to the events already stored about a comment: their comment loses its
 * author and body (\`redacted\`), so that no replay, pull or webhook retry shows it again.
 */
export const REDACT_EVENT_SQL = `data || jsonb_build_object('comment',
    (data->'comment') || '{"author": null, "bodyHtml": "", "redacted": true}'::jsonb)`;

/** What the public thread needs of a row. */
const THREAD_ROW = `c.id, c.parent_id AS "parentId", c.depth, c.path, c.root_key AS "rootKey",
  c.status, c.author_name AS "authorName", c.author_website AS "authorWebsite",
  c.author_avatar AS "authorAvatar", c.body_html AS "bodyHtml", c.created_at AS "createdAt",
  c.published_at AS "publishedAt", c.featured_at IS NOT NULL AS featured,
  COALESCE((SELECT sum(r.n) FROM comment_reaction_counts r
            WHERE r.comment_id = c.id AND r.type = 'like'), 0)::int AS likes`;

export type ThreadSort = 'oldest' | 'newest' | 'top';

export type ThreadRow = Pick<
  CommentRow,
  | 'id'
  | 'parentId'
  | 'depth'
  | 'path'
  | 'rootKey'
  | 'status'
  | 'authorName'
  | 'authorWebsite'
  | 'authorAvatar'
  | 'bodyHtml'
  | 'createdAt'
  | 'publishedAt'
> & { featured: boolean; likes: number; rootLikes?: number };

export interface ArticleState {
  closed: boolean;
  firstCommentAt: Date | null;
  approvedCount: number;
  threadVersion: string;
}

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

export interface ThreadPosition {
  path: string;
  rootKey: string;
  /** `sort=top`: the likes of the last root. */
  rootLikes?: number;
}

/** What a feature or unfeature changed: the comment, or why nothing changed. */
export type FeatureOutcome =
  | { changed: true; siteId: string; articleId: string }
  | { changed: false; status: CommentStatus | null; featured: boolean };

export interface StatusChange {
  row: CommentRow;
  previousStatus: CommentStatus;
}

/** Every query on comments and articles. */
@Injectable()
export class CommentsRepository {
  /** The hot paths' constant statements (intake, workers, hot reads), prepared once. */
  private readonly prepared: PreparedQueries;
  private readonly byId = new MicroBatcher((ids: string[]) => this.findByIds(ids));
  private readonly scores = new MicroBatcher(
    (scores: Array<{ id: string; score: number; reasons: string }>) =>
      this.recordSpamScores(scores),
  );

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

  async findArticle(siteId: string, articleId: string): Promise<ArticleState | null> {
    const rows: ArticleState[] = await this.prepared.query(
      `SELECT closed, first_comment_at AS "firstCommentAt", approved_count AS "approvedCount",
              thread_version AS "threadVersion"
       FROM articles WHERE site_id = $1 AND article_id = $2`,
      [siteId, articleId],
    );
    return rows[0] ?? null;
  }

  async countsFor(siteId: string, articleIds: string[]): Promise<Map<string, number>> {
    const rows: Array<{ articleId: string; approvedCount: number }> = await this.prepared.query(
      `SELECT article_id AS "articleId", approved_count AS "approvedCount"
       FROM articles WHERE site_id = $1 AND article_id = ANY($2::varchar[])`,
      [siteId, articleIds],
    );
    return new Map(rows.map((r) => [r.articleId, r.approvedCount]));
  }

  async setArticleClosed(
    siteId: string,
    articleId: string,
    closed: boolean,
  ): Promise<ArticleState> {
    const rows: ArticleState[] = await this.db.query(
      `INSERT INTO articles (site_id, article_id, closed) VALUES ($1, $2, $3)
       ON CONFLICT (site_id, article_id) DO UPDATE SET closed = EXCLUDED.closed, updated_at = now()
       RETURNING closed, first_comment_at AS "firstCommentAt", approved_count AS "approvedCount",
                 thread_version AS "threadVersion"`,
      [siteId, articleId, closed],
    );
    return rows[0];
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

  /**
   * One comment, whole. The workers ask this for every job, many at a time: concurrent calls
   * share one query (`MicroBatcher`).
   */
  findById(id: string): Promise<CommentRow | null> {
    return this.byId.submit(id);
  }

  private async findByIds(ids: string[]): Promise<Array<CommentRow | null>> {
    // One id that is not a UUID would fail the whole batch: it simply finds nothing.
    const rows: CommentRow[] = await this.prepared.query(
      `SELECT ${ROW} FROM comments c WHERE c.id = ANY($1::uuid[])`,
      [ids.filter((id) => UUID_PATTERN.test(id))],
    );
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  }

  /**
   * One page of the public thread in depth-first order: approved comments, plus tombstones for
   * comments taken down or deleted after publication that still have approved replies.
   */
  async findPublishedPage(
    siteId: string,
    articleId: string,
    sort: ThreadSort,
    after: ThreadPosition | null,
    limit: number,
    featuredOnly = false,
  ): Promise<ThreadRow[]> {
    const params: unknown[] = [siteId, articleId, limit];
    let position = '';
    if (after && sort === 'oldest') {
      params.push(after.path);
      position = 'AND c.path > $4';
    } else if (after && sort === 'newest') {
      params.push(after.path, after.rootKey);
      position = 'AND (c.root_key < $5 OR (c.root_key = $5 AND c.path > $4))';
    } else if (after) {
      params.push(after.path, after.rootKey, after.rootLikes ?? 0);
      position = `AND (s.likes < $6 OR (s.likes = $6
                   AND (c.root_key < $5 OR (c.root_key = $5 AND c.path > $4))))`;
    }
    const order =
      sort === 'oldest'
        ? 'c.path'
        : sort === 'newest'
          ? 'c.root_key DESC, c.path'
          : 's.likes DESC, c.root_key DESC, c.path';
    const visible = featuredOnly
      ? `c.status = 'approved' AND c.featured_at IS NOT NULL`
      : `(c.status = 'approved'
              OR (c.status <> 'approved' AND c.published_at IS NOT NULL
                  AND EXISTS (SELECT 1 FROM comments d
                              WHERE d.site_id = c.site_id AND d.article_id = c.article_id
                                AND d.path > c.path AND d.path < c.path || '~'
                                AND d.status = 'approved')))`;
    // `top`: root threads by their root's likes (the sum of its counter shards), then newest.
    const scores =
      sort === 'top'
        ? `WITH s AS (
             SELECT root.root_key, COALESCE(sum(r.n), 0)::int AS likes
             FROM comments root
             LEFT JOIN comment_reaction_counts r ON r.comment_id = root.id AND r.type = 'like'
             WHERE root.site_id = $1 AND root.article_id = $2 AND root.depth = 0
             GROUP BY root.root_key)`
        : '';
    return this.db.query(
      `${scores}
       SELECT ${THREAD_ROW}${sort === 'top' ? ', s.likes AS "rootLikes"' : ''}
       FROM comments c ${sort === 'top' ? 'JOIN s ON s.root_key = c.root_key' : ''}
       WHERE c.site_id = $1 AND c.article_id = $2 ${position}
         AND ${visible}
       ORDER BY ${order}
       LIMIT $3`,
      params,
    );
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
       SELECT ${ROW.replace(/\bc\./g, 'ch.')}, ch.previous_status AS "previousStatus"
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

  /**
   * Is one of these comments (ids whose receipts the author sent) approved on the site and by
   * the same address (blind index)? Knowing an address alone proves nothing; holding the
   * receipt of an approved comment written with it does.
   */
  async anyApprovedOf(
    siteId: string,
    ids: string[],
    emailIndexes: Buffer[],
    exceptId: string,
  ): Promise<boolean> {
    if (!ids.length || !emailIndexes.length) return false;
    const rows: unknown[] = await this.prepared.query(
      `SELECT 1 FROM comments
       WHERE id = ANY($1::uuid[]) AND site_id = $2 AND status = 'approved'
         AND email_index = ANY($3::bytea[]) AND id <> $4
       LIMIT 1`,
      [ids, siteId, emailIndexes, exceptId],
    );
    return rows.length > 0;
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

  /** Runs `work` only in the one process that holds the advisory lock `key`. */
  async withTryLock(key: number, work: () => Promise<void>): Promise<boolean> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        key,
      ])) as [{ locked: boolean }];
      if (!locked) return false;
      try {
        await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [key]);
      }
      return true;
    } finally {
      await runner.release();
    }
  }

  /** Trusted mode: has this address (blind indexes) an approved comment on the site? */
  async addressHasApproved(
    siteId: string,
    emailIndexes: Buffer[],
    exceptId: string,
  ): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM comments
       WHERE email_index = ANY($1::bytea[]) AND site_id = $2 AND status = 'approved' AND id <> $3
       LIMIT 1`,
      [emailIndexes, siteId, exceptId],
    );
    return rows.length > 0;
  }

  /** Trusted mode: has this verified author (SSO `sub`) an approved comment on the site? */
  async subjectHasApproved(siteId: string, sub: string, exceptId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM comments
       WHERE identity_sub = $1 AND site_id = $2 AND status = 'approved' AND id <> $3 LIMIT 1`,
      [sub, siteId, exceptId],
    );
    return rows.length > 0;
  }

  /** What reply notifications need of comments (ciphertexts are decrypted only to send). */
  findNotificationFacts(ids: string[]): Promise<NotificationFacts[]> {
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

  /** Comments of a site that were held after `since` (by their audit rows), oldest first. */
  findHeldSince(
    siteId: string,
    since: Date | null,
    until: Date,
    limit: number,
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
