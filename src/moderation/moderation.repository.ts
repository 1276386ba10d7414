import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CommentStatus } from '../comments/comment-status.js';
import type { Reason } from '../comments/comment.entity.js';
import type { CommentRow } from '../comments/comment.mapper.js';

export interface ModerationRow extends CommentRow {
  emailCiphertext: Buffer | null;
  emailKeyId: string | null;
}

export interface ActionRow {
  id: string;
  actor: string;
  action: string;
  fromStatus: CommentStatus | null;
  toStatus: CommentStatus;
  reason: string | null;
  reasons: Reason[];
  createdAt: Date;
}

export interface QueueFilter {
  /** null: every site. */
  siteIds: string[] | null;
  status: CommentStatus;
  articleId?: string;
  after?: { createdAt: string; id: string };
  limit: number;
}

const ITEM = `c.id, c.site_id AS "siteId", c.article_id AS "articleId", c.parent_id AS "parentId",
  c.depth, c.path, c.root_key AS "rootKey", c.author_name AS "authorName",
  c.author_website AS "authorWebsite", c.author_avatar AS "authorAvatar", c.body,
  c.body_html AS "bodyHtml", c.status, c.spam_score AS "spamScore", c.spam_reasons AS "spamReasons",
  c.moderation_reasons AS "moderationReasons", c.honeypot, c.pow_verified AS "powVerified",
  c.email_index AS "emailIndex", c.ip_index AS "ipIndex", c.created_at AS "createdAt",
  c.published_at AS "publishedAt", c.email_ciphertext AS "emailCiphertext",
  c.email_key_id AS "emailKeyId"`;

/** The moderators' read queries: queues, one comment, its history. */
@Injectable()
export class ModerationRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Oldest first, keyset on (created_at, id). */
  listQueue(filter: QueueFilter): Promise<ModerationRow[]> {
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
    if (filter.after) {
      params.push(filter.after.createdAt, filter.after.id);
      where.push(
        `(c.created_at, c.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    return this.db.query(
      `SELECT ${ITEM} FROM comments c WHERE ${where.join(' AND ')}
       ORDER BY c.created_at, c.id LIMIT $2`,
      params,
    );
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
              reasons, created_at AS "createdAt"
       FROM moderation_actions WHERE comment_id = $1 ORDER BY id`,
      [commentId],
    );
  }
}
