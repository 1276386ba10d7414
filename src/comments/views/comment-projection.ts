/**
 * The comment's SQL projections, from one column list: each view selects the fields it shows
 * by name (`selectColumns`), so a column is spelled once. `EVENT_COMMENT_SQL` is the event shape
 * built in SQL (the twin of `toEventComment`; an integration test holds the two together).
 */

/** Every column of `comments` a view reads: the field name in a row, the column in SQL. */
export const COMMENT_COLUMNS = {
  id: 'id',
  siteId: 'site_id',
  articleId: 'article_id',
  parentId: 'parent_id',
  depth: 'depth',
  path: 'path',
  rootKey: 'root_key',
  status: 'status',
  authorName: 'author_name',
  authorWebsite: 'author_website',
  authorAvatar: 'author_avatar',
  body: 'body',
  bodyHtml: 'body_html',
  spamScore: 'spam_score',
  spamReasons: 'spam_reasons',
  moderationReasons: 'moderation_reasons',
  honeypot: 'honeypot',
  powVerified: 'pow_verified',
  emailIndex: 'email_index',
  ipIndex: 'ip_index',
  emailCiphertext: 'email_ciphertext',
  emailKeyId: 'email_key_id',
  trustReceipts: 'trust_receipts',
  emailDisposable: 'email_disposable',
  identitySub: 'identity_sub',
  createdAt: 'created_at',
  publishedAt: 'published_at',
  deletedAt: 'deleted_at',
  featuredAt: 'featured_at',
} as const;

export type CommentField = keyof typeof COMMENT_COLUMNS;

/** `c.site_id AS "siteId", …` for the given fields of the row aliased `alias`. */
export function selectColumns(fields: readonly CommentField[], alias = 'c'): string {
  return fields
    .map((field) => {
      const column = COMMENT_COLUMNS[field];
      return column === field ? `${alias}.${column}` : `${alias}.${column} AS "${field}"`;
    })
    .join(', ');
}

/** What anyone may see of a comment (the public shape's sources). Nothing that names a person. */
export const PUBLIC_FIELDS = [
  'id',
  'parentId',
  'depth',
  'status',
  'authorName',
  'authorWebsite',
  'authorAvatar',
  'bodyHtml',
  'createdAt',
  'publishedAt',
] as const satisfies readonly CommentField[];

/** A whole `CommentRow` (the workers', the status change's and the moderators' row). */
export const ROW_FIELDS = [
  ...PUBLIC_FIELDS,
  'siteId',
  'articleId',
  'path',
  'rootKey',
  'body',
  'spamScore',
  'spamReasons',
  'moderationReasons',
  'honeypot',
  'powVerified',
  'emailIndex',
  'ipIndex',
  'emailCiphertext',
  'emailKeyId',
  'trustReceipts',
  'identitySub',
  'emailDisposable',
] as const satisfies readonly CommentField[];

/** Columns of a CommentRow, aliased to camelCase. */
export const COMMENT_ROW = selectColumns(ROW_FIELDS);

/** The moderators' row: the whole row and whether it is featured. */
export const MODERATION_ROW = `${COMMENT_ROW}, c.featured_at IS NOT NULL AS featured`;

/** What the public thread needs of a row: the public fields, its place, featured and likes. */
export const THREAD_ROW = `${selectColumns([...PUBLIC_FIELDS, 'path', 'rootKey'])},
  c.featured_at IS NOT NULL AS featured,
  COALESCE((SELECT sum(r.n) FROM comment_reaction_counts r
            WHERE r.comment_id = c.id AND r.type = 'like'), 0)::int AS likes`;

/** A data subject's own comment, for their export (no ciphertext, index or address). */
export const SUBJECT_EXPORT_ROW = selectColumns([
  ...PUBLIC_FIELDS,
  'siteId',
  'articleId',
  'body',
  'moderationReasons',
]);

/** The site export's row (the email still encrypted; decrypted only to write the file). */
export const SITE_EXPORT_ROW = selectColumns([
  'id',
  'articleId',
  'parentId',
  'depth',
  'path',
  'status',
  'authorName',
  'authorWebsite',
  'emailCiphertext',
  'emailKeyId',
  'body',
  'bodyHtml',
  'spamScore',
  'spamReasons',
  'moderationReasons',
  'createdAt',
  'publishedAt',
  'deletedAt',
  'featuredAt',
]);

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

/**
 * What an erase does to the events stored about a comment: no author, no body, `deleted`. Their
 * reasons keep only their codes (`neutralReasonsSql`).
 */
export const ERASE_EVENT_SQL = `jsonb_set(jsonb_set(jsonb_set(data,
    '{comment,author}', 'null'), '{comment,bodyHtml}', '""'), '{comment,deleted}', 'true')`;

/** What an erased comment's reasons say instead of their texts (their codes stay). */
export const ERASED_REASON = 'Removed at the author’s request';

/** The reasons in `column` (a jsonb array) with every message replaced by `$2`, codes kept. */
export const neutralReasonsSql = (column: string) =>
  `(SELECT coalesce(jsonb_agg(jsonb_build_object('code', r->'code', 'message', $2::text)),
                    '[]'::jsonb)
    FROM jsonb_array_elements(${column}) r)`;
