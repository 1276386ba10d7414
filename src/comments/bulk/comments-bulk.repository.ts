import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CommentStatus } from '../model/comment-status.js';
import type { SiteExportRow } from '../views/comment-private-views.js';
import type { CommentRow } from '../views/comment-views.js';
import { SITE_EXPORT_ROW } from '../views/comment-projection.js';

/** A comment as the bulk import writes it: the columns intake fills, plus its source. */
export interface BulkCommentRow extends Pick<
  CommentRow,
  | 'id'
  | 'articleId'
  | 'parentId'
  | 'depth'
  | 'path'
  | 'rootKey'
  | 'authorName'
  | 'authorWebsite'
  | 'authorAvatar'
  | 'emailCiphertext'
  | 'emailKeyId'
  | 'emailIndex'
  | 'ipIndex'
  | 'body'
  | 'bodyHtml'
  | 'spamScore'
  | 'spamReasons'
  | 'moderationReasons'
  | 'createdAt'
  | 'publishedAt'
> {
  /** Imported comments arrive decided: never `pending`. */
  status: Exclude<CommentStatus, 'pending'>;
  deletedAt: Date | null;
  featuredAt: Date | null;
  /** Where it came from (kept to recognise it on a later run), or null. */
  origin: { format: string; id: string } | null;
}

export interface KnownComment {
  id: string;
  articleId: string;
  path: string;
  depth: number;
}

type Db = Pick<EntityManager, 'query'>;

/** The SQL of bulk paths on comments: multi-row imports, and the site export by keyset. */
@Injectable()
export class CommentsBulkRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** The pool, for reads of what is committed while a long transaction writes. */
  get pool(): Db {
    return this.db;
  }

  /**
   * The site's comments imported before from these origins (for duplicates and their
   * replies), keyed `format NUL id`.
   */
  async findSources(
    db: Db,
    siteId: string,
    origins: ReadonlyArray<{ format: string; id: string }>,
  ): Promise<Map<string, KnownComment>> {
    if (origins.length === 0) return new Map();
    const rows: Array<KnownComment & { format: string; sourceId: string }> = await db.query(
      `SELECT s.format, s.source_id AS "sourceId", c.id, c.article_id AS "articleId",
         c.path, c.depth
       FROM unnest($2::varchar[], $3::text[]) AS o(format, source_id)
       JOIN comment_sources s ON s.site_id = $1 AND s.format = o.format
         AND s.source_id = o.source_id
       JOIN comments c ON c.id = s.comment_id`,
      [siteId, origins.map((o) => o.format), origins.map((o) => o.id)],
    );
    return new Map(
      rows.map(({ format, sourceId, ...known }) => [`${format}\u0000${sourceId}`, known]),
    );
  }

  /** The site's comments with these ids. */
  async findOwn(db: Db, siteId: string, ids: string[]): Promise<Map<string, KnownComment>> {
    if (ids.length === 0) return new Map();
    const rows: KnownComment[] = await db.query(
      `SELECT id, article_id AS "articleId", path, depth FROM comments
       WHERE site_id = $1 AND id = ANY($2::uuid[])`,
      [siteId, ids],
    );
    return new Map(rows.map((known) => [known.id, known]));
  }

  /** Which of these ids some comment already has. */
  async takenIds(db: Db, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await db.query(
      `SELECT id FROM comments WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** The articles (created when missing), the comments and their sources: three statements. */
  async insert(db: Db, siteId: string, rows: readonly BulkCommentRow[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof BulkCommentRow>(key: K) => rows.map((r) => r[key]);
    await db.query(
      `INSERT INTO articles (site_id, article_id)
       SELECT $1, a FROM unnest($2::varchar[]) AS a
       ON CONFLICT (site_id, article_id) DO NOTHING`,
      [siteId, [...new Set(col('articleId'))]],
    );
    await db.query(
      `INSERT INTO comments (id, site_id, article_id, parent_id, depth, path, root_key,
         author_name, author_website, author_avatar, email_ciphertext, email_key_id, email_index,
         ip_index, body, body_html, status, spam_score, spam_reasons, moderation_reasons,
         created_at, updated_at, published_at, deleted_at, featured_at)
       SELECT r.id, $1, r.article_id, r.parent_id, r.depth, r.path, r.root_key, r.author_name,
         r.author_website, r.author_avatar, r.email_ciphertext, r.email_key_id, r.email_index,
         r.ip_index, r.body, r.body_html, r.status, r.spam_score, r.spam_reasons,
         r.moderation_reasons, r.created_at, now(), r.published_at, r.deleted_at, r.featured_at
       FROM unnest($2::uuid[], $3::varchar[], $4::uuid[], $5::smallint[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::varchar[], $11::bytea[], $12::varchar[], $13::bytea[],
         $14::bytea[], $15::text[], $16::text[], $17::comment_status[], $18::real[],
         $19::jsonb[], $20::jsonb[], $21::timestamptz[], $22::timestamptz[], $23::timestamptz[],
         $24::timestamptz[])
         AS r(id, article_id, parent_id, depth, path, root_key, author_name, author_website,
           author_avatar, email_ciphertext, email_key_id, email_index, ip_index, body,
           body_html, status, spam_score, spam_reasons, moderation_reasons, created_at,
           published_at, deleted_at, featured_at)`,
      [
        siteId,
        col('id'),
        col('articleId'),
        col('parentId'),
        col('depth'),
        col('path'),
        col('rootKey'),
        col('authorName'),
        col('authorWebsite'),
        col('authorAvatar'),
        col('emailCiphertext'),
        col('emailKeyId'),
        col('emailIndex'),
        col('ipIndex'),
        col('body'),
        col('bodyHtml'),
        col('status'),
        col('spamScore'),
        rows.map((r) => JSON.stringify(r.spamReasons)),
        rows.map((r) => JSON.stringify(r.moderationReasons)),
        col('createdAt'),
        col('publishedAt'),
        col('deletedAt'),
        col('featuredAt'),
      ],
    );
    const sourced = rows.filter((r) => r.origin);
    if (sourced.length === 0) return;
    await db.query(
      `INSERT INTO comment_sources (comment_id, site_id, format, source_id)
       SELECT id, $1, format, source_id
       FROM unnest($2::uuid[], $3::varchar[], $4::text[]) AS s(id, format, source_id)`,
      [
        siteId,
        sourced.map((r) => r.id),
        sourced.map((r) => r.origin!.format),
        sourced.map((r) => r.origin!.id),
      ],
    );
  }

  /**
   * After an import: each article's approved count grows by its imported approved comments,
   * its first comment date is the earliest, and its thread version moves on (ETags change).
   */
  async finishArticles(
    db: Db,
    siteId: string,
    articles: ReadonlyMap<string, { approved: number; first: Date }>,
  ): Promise<void> {
    if (articles.size === 0) return;
    const ids = [...articles.keys()];
    await db.query(
      `UPDATE articles a SET approved_count = a.approved_count + v.approved,
         first_comment_at = LEAST(a.first_comment_at, v.first),
         thread_version = a.thread_version + 1, updated_at = now()
       FROM unnest($2::varchar[], $3::int[], $4::timestamptz[]) AS v(article_id, approved, first)
       WHERE a.site_id = $1 AND a.article_id = v.article_id`,
      [
        siteId,
        ids,
        ids.map((id) => articles.get(id)!.approved),
        ids.map((id) => articles.get(id)!.first),
      ],
    );
  }

  /**
   * One page of a site's comments for the export, by article then thread order (a parent
   * always before its replies), after the keyset position `after`.
   */
  async exportPage(
    siteId: string,
    after: { articleId: string; path: string } | null,
    limit: number,
  ): Promise<SiteExportRow[]> {
    return this.db.query(
      `SELECT ${SITE_EXPORT_ROW}, s.format AS "sourceFormat", s.source_id AS "sourceId"
       FROM comments c LEFT JOIN comment_sources s ON s.comment_id = c.id
       WHERE c.site_id = $1
         AND ($2::varchar IS NULL OR (c.article_id, c.path) > ($2::varchar, $3::text COLLATE "C"))
       ORDER BY c.article_id, c.path
       LIMIT $4`,
      [siteId, after?.articleId ?? null, after?.path ?? null, limit],
    );
  }
}
