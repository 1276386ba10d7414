/**
 * The comment's SQL projections, each written once: the whole row (`COMMENT_ROW`), what the
 * public thread shows (`THREAD_ROW`) and the event shape built in SQL (`EVENT_COMMENT_SQL`, the
 * twin of `toEventComment`; a test holds the two together). Repositories select through these.
 */

/** Columns of a CommentRow, aliased to camelCase. */
export const COMMENT_ROW = `c.id, c.site_id AS "siteId", c.article_id AS "articleId", c.parent_id AS "parentId",
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
export const THREAD_ROW = `c.id, c.parent_id AS "parentId", c.depth, c.path, c.root_key AS "rootKey",
  c.status, c.author_name AS "authorName", c.author_website AS "authorWebsite",
  c.author_avatar AS "authorAvatar", c.body_html AS "bodyHtml", c.created_at AS "createdAt",
  c.published_at AS "publishedAt", c.featured_at IS NOT NULL AS featured,
  COALESCE((SELECT sum(r.n) FROM comment_reaction_counts r
            WHERE r.comment_id = c.id AND r.type = 'like'), 0)::int AS likes`;
