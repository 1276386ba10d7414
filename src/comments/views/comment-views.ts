import type { CommentStatus } from '../model/comment-status.js';
import type { Reason } from '../model/comment.entity.js';

/** A comment row as the repository returns it (camelCase, no ciphertexts unless asked). */
export interface CommentRow {
  id: string;
  siteId: string;
  articleId: string;
  parentId: string | null;
  depth: number;
  path: string;
  rootKey: string;
  authorName: string | null;
  authorWebsite: string | null;
  authorAvatar: string | null;
  body: string;
  bodyHtml: string;
  status: CommentStatus;
  spamScore: number | null;
  spamReasons: Reason[];
  moderationReasons: Reason[];
  honeypot: boolean;
  powVerified: boolean | null;
  emailIndex: Buffer | null;
  ipIndex: Buffer | null;
  /** Encrypted; decrypted only in memory, for moderators and the spam worker. */
  emailCiphertext: Buffer | null;
  emailKeyId: string | null;
  createdAt: Date;
  publishedAt: Date | null;
  /** The publisher's verified identity (SSO `sub`), or null (absent in older fixtures). */
  identitySub?: string | null;
  /** Ids of earlier comments whose receipts came with this one (verified at intake). */
  trustReceipts?: string[] | null;
}

/** What anyone may see of a comment. Never an email, an address or an index. */
export interface PublicComment {
  id: string;
  parentId: string | null;
  depth: number;
  author: { name: string; website: string | null; avatar: string | null } | null;
  bodyHtml: string;
  createdAt: string;
  publishedAt: string | null;
  deleted?: true;
  /** In a public thread (approved comments): featured by a moderator. */
  featured?: boolean;
  /** In a public thread (approved comments): readers' likes. */
  likes?: number;
}

export type PublicCommentSource = Pick<
  CommentRow,
  | 'id'
  | 'parentId'
  | 'depth'
  | 'status'
  | 'authorName'
  | 'authorWebsite'
  | 'authorAvatar'
  | 'bodyHtml'
  | 'createdAt'
  | 'publishedAt'
>;

/** The public shape of a comment's content (whatever its status). */
export function toPublicComment(row: PublicCommentSource): PublicComment {
  if (row.status === 'deleted') return tombstone(row);
  return {
    id: row.id,
    parentId: row.parentId,
    depth: row.depth,
    author:
      row.authorName === null
        ? null
        : { name: row.authorName, website: row.authorWebsite, avatar: row.authorAvatar },
    bodyHtml: row.bodyHtml,
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
  };
}

/**
 * In a public thread: approved comments in full (with `featured` and `likes` when the row has
 * them), anything else that holds up replies as a tombstone.
 */
export function toThreadComment(
  row: PublicCommentSource & { featured?: boolean; likes?: number },
): PublicComment {
  if (row.status !== 'approved') return tombstone(row);
  const comment = toPublicComment(row);
  if (row.featured !== undefined) comment.featured = row.featured;
  if (row.likes !== undefined) comment.likes = row.likes;
  return comment;
}

export function tombstone(row: PublicCommentSource): PublicComment {
  return {
    id: row.id,
    parentId: row.parentId,
    depth: row.depth,
    author: null,
    bodyHtml: '',
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    deleted: true,
  };
}

/** Statuses that take a comment's content out of events (a take-down is a take-down). */
export const TAKEN_DOWN_STATUSES: readonly CommentStatus[] = ['rejected', 'spam', 'deleted'];

/**
 * The comment as events carry it: public shape plus where it lives and its status. A rejected
 * or spam comment carries neither author nor body (`redacted: true`), a deleted one is a
 * tombstone.
 */
export function toEventComment(row: CommentRow): Record<string, unknown> {
  const where = { siteId: row.siteId, articleId: row.articleId, status: row.status };
  if (row.status === 'rejected' || row.status === 'spam') {
    const { deleted: _deleted, ...content } = tombstone(row);
    return { ...content, ...where, redacted: true };
  }
  return { ...toPublicComment(row), ...where };
}
