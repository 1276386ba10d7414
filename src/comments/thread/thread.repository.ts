import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { THREAD_ROW } from '../views/comment-projection.js';
import type { CommentRow } from '../views/comment-views.js';

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

export interface ThreadPosition {
  path: string;
  rootKey: string;
  /** `sort=top`: the likes of the last root. */
  rootLikes?: number;
}

/** The public thread's page query. */
@Injectable()
export class ThreadRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
}
