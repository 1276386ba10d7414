import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PreparedQueries } from '../../database/prepared-queries.js';

export interface ArticleState {
  closed: boolean;
  firstCommentAt: Date | null;
  approvedCount: number;
  threadVersion: string;
}

/** Every query on `articles` outside the intake's and the status change's own statements. */
@Injectable()
export class ArticlesRepository {
  /** Hot reads (every thread page, every counts call), prepared once. */
  private readonly prepared: PreparedQueries;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.prepared = new PreparedQueries(db);
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
}
