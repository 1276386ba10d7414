/**
 * Every outward shape of a comment, built here and nowhere else: public (and its thread and
 * tombstone forms), event, live, moderation, the data subject's export and the site export.
 * Their SQL is `comment-projection.ts`; the shapes for moderators, the data subject and the
 * site's admins are in `comment-private-views.ts`. Only the moderation and site-export shapes
 * carry an email (decrypted by the caller); `comment-views.spec.ts` guards every shape.
 */
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
  /** The address is at a disposable-mail domain (decided at intake; absent in older fixtures). */
  emailDisposable?: boolean;
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
  return contentOf(row);
}

/**
 * The public fields as the row has them, even of a deleted comment (moderators see what was
 * removed; readers get `toPublicComment`'s tombstone instead).
 */
export function contentOf(row: PublicCommentSource): PublicComment {
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

/** Fields events add to the public comment shape. */
const EVENT_ONLY_FIELDS = new Set(['siteId', 'articleId', 'status']);

/**
 * The live shape: the public comment of an event's comment (the thread's shape), without the
 * event's own `siteId`, `articleId` and `status`. Null once taken down (the stored event was
 * redacted, or the author erased it).
 */
export function toLiveComment(eventComment: Record<string, unknown>): PublicComment | null {
  if (eventComment.redacted === true || eventComment.deleted === true) return null;
  return Object.fromEntries(
    Object.entries(eventComment).filter(([field]) => !EVENT_ONLY_FIELDS.has(field)),
  ) as unknown as PublicComment;
}
