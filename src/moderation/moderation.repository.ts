import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CommentStatus } from '../comments/model/comment-status.js';
import type { Reason } from '../comments/model/comment.entity.js';
import type { CommentRow } from '../comments/views/comment-views.js';

export interface ModerationRow extends CommentRow {
  emailCiphertext: Buffer | null;
  emailKeyId: string | null;
  /** In a prioritised listing: 1 when the comment has an open `illegal` flag (shown first). */
  priority?: number;
  /** Featured by a moderator (issue 20). */
  featured: boolean;
}

export interface ActionRow {
  id: string;
  actor: string;
  action: string;
  fromStatus: CommentStatus | null;
  toStatus: CommentStatus;
  reason: string | null;
  reasons: Reason[];
  reasonCode: string | null;
  createdAt: Date;
}

export interface QueueFilter {
  /** null: every site. */
  siteIds: string[] | null;
  status: CommentStatus;
  articleId?: string;
  after?: { createdAt: string; id: string; priority?: number };
  limit: number;
  /** `oldest` (default, the work queues) or `newest` (recent decisions). */
  order?: 'oldest' | 'newest';
  /** Only comments with open reader flags. */
  flagged?: boolean;
  /**
   * Comments with an open `illegal` flag first (notice and action): the keyset then starts
   * with the priority, and `after.priority` is the last row's.
   */
  prioritised?: boolean;
}

/** The statuses the moderators' console counts. */
export const COUNTED_STATUSES = ['held', 'spam', 'approved', 'rejected'] as const;
export type CountedStatus = (typeof COUNTED_STATUSES)[number];

/** One author's comments on one site, found by the email blind index. */
export interface AuthorHistoryRow {
  emailIndex: Buffer;
  siteId: string;
  approved: number;
  rejected: number;
  spam: number;
  total: number;
}

const ITEM = `c.id, c.site_id AS "siteId", c.article_id AS "articleId", c.parent_id AS "parentId",
  c.depth, c.path, c.root_key AS "rootKey", c.author_name AS "authorName",
  c.author_website AS "authorWebsite", c.author_avatar AS "authorAvatar", c.body,
  c.body_html AS "bodyHtml", c.status, c.spam_score AS "spamScore", c.spam_reasons AS "spamReasons",
  c.moderation_reasons AS "moderationReasons", c.honeypot, c.pow_verified AS "powVerified",
  c.email_index AS "emailIndex", c.ip_index AS "ipIndex", c.created_at AS "createdAt",
  c.published_at AS "publishedAt", c.email_ciphertext AS "emailCiphertext",
  c.email_key_id AS "emailKeyId", c.featured_at IS NOT NULL AS featured,
  c.identity_sub AS "identitySub"`;

/** The moderators' read queries: queues, one comment, its history. */
@Injectable()
export class ModerationRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Oldest (or newest) first, keyset on (created_at, id). */
  listQueue(filter: QueueFilter): Promise<ModerationRow[]> {
    const newest = filter.order === 'newest';
    const params: unknown[] = [filter.status, filter.limit];
    const where = ['c.status = $1::comment_status'];
    if (filter.siteIds) {
      params.push(filter.siteIds);
      where.push(`c.site_id = ANY($${params.length}::varchar[])`);
    }
    if (filter.articleId) {
      params.push(filter.articleId);
      where.push(`c.article_id = $${params.length}`);
    }
    if (filter.flagged) {
      // Driven by the (few) open flags, not by a probe per comment of the status.
      where.push(`c.id IN (SELECT f.comment_id FROM comment_flags f WHERE f.status = 'open')`);
    }
    const direction = newest ? 'DESC' : 'ASC';
    const order = `c.created_at ${direction}, c.id ${direction}`;
    let keyset = 'true';
    if (filter.after) {
      params.push(filter.after.createdAt, filter.after.id);
      keyset = `(c.created_at, c.id) ${newest ? '<' : '>'} ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    if (!filter.prioritised) {
      return this.db.query(
        `SELECT ${ITEM} FROM comments c WHERE ${where.join(' AND ')} AND ${keyset}
         ORDER BY ${order} LIMIT $2`,
        params,
      );
    }
    // Notice and action: comments with an open `illegal` flag first, then the rest, each part
    // in queue order. Two bounded parts: the first is driven by the open illegal flags, the
    // second scans the queue's index only until the page is full.
    const after = filter.after?.priority ?? 1;
    const illegal = `c.id IN (SELECT f.comment_id FROM comment_flags f
      WHERE f.status = 'open' AND f.reason = 'illegal')`;
    const first = !filter.after ? 'true' : after === 1 ? keyset : 'false';
    const second = !filter.after || after === 1 ? 'true' : keyset;
    return this.db.query(
      `(SELECT ${ITEM}, 1 AS priority FROM comments c
        WHERE ${where.join(' AND ')} AND ${illegal} AND ${first}
        ORDER BY ${order} LIMIT $2)
       UNION ALL
       (SELECT ${ITEM}, 0 AS priority FROM comments c
        WHERE ${where.join(' AND ')} AND NOT (${illegal}) AND ${second}
        ORDER BY ${order} LIMIT $2)
       ORDER BY priority DESC, "createdAt" ${direction}, id ${direction} LIMIT $2`,
      params,
    );
  }

  /** How many comments each counted status holds, on the given sites (null: every site). */
  async countByStatus(siteIds: string[] | null): Promise<Record<CountedStatus, number>> {
    const params: unknown[] = [COUNTED_STATUSES];
    let where = 'status = ANY($1::comment_status[])';
    if (siteIds) {
      params.push(siteIds);
      where += ' AND site_id = ANY($2::varchar[])';
    }
    const rows: { status: CountedStatus; n: number }[] = await this.db.query(
      `SELECT status, count(*)::int AS n FROM comments WHERE ${where} GROUP BY status`,
      params,
    );
    const counts = { held: 0, spam: 0, approved: 0, rejected: 0 };
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  /**
   * Each author's comments on a site, by email blind index: one index-only scan of
   * comments_email_index_idx (email_index, site_id, status) per distinct pair.
   */
  authorHistories(keys: { emailIndex: Buffer; siteId: string }[]): Promise<AuthorHistoryRow[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.db.query(
      `SELECT c.email_index AS "emailIndex", c.site_id AS "siteId",
              count(*) FILTER (WHERE c.status = 'approved')::int AS approved,
              count(*) FILTER (WHERE c.status = 'rejected')::int AS rejected,
              count(*) FILTER (WHERE c.status = 'spam')::int AS spam,
              count(*)::int AS total
       FROM comments c
       JOIN unnest($1::bytea[], $2::varchar[]) AS k(email_index, site_id)
         ON c.email_index = k.email_index AND c.site_id = k.site_id
       GROUP BY c.email_index, c.site_id`,
      [keys.map((k) => k.emailIndex), keys.map((k) => k.siteId)],
    );
  }

  /** Several comments at once (appeals carry theirs), in no particular order. */
  findItems(ids: string[]): Promise<ModerationRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.query(`SELECT ${ITEM} FROM comments c WHERE c.id = ANY($1::uuid[])`, [ids]);
  }

  async findItem(id: string): Promise<ModerationRow | null> {
    const rows: ModerationRow[] = await this.db.query(
      `SELECT ${ITEM} FROM comments c WHERE c.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  findHistory(commentId: string): Promise<ActionRow[]> {
    return this.db.query(
      `SELECT id, actor, action, from_status AS "fromStatus", to_status AS "toStatus", reason,
              reasons, reason_code AS "reasonCode", created_at AS "createdAt"
       FROM moderation_actions WHERE comment_id = $1 ORDER BY id`,
      [commentId],
    );
  }
}
