/**
 * The comment's shapes for those who may see more than the public: moderators (with the
 * author's address), the data subject's export of their own comments, and the site export
 * (with addresses, for moving to another installation). The public shapes are in
 * `comment-views.ts`.
 */
import type { CommentStatus } from '../model/comment-status.js';
import type { Reason } from '../model/comment.entity.js';
import { contentOf, type CommentRow, type PublicComment } from './comment-views.js';

/** The moderators' row (`MODERATION_ROW`). */
export interface ModerationRow extends CommentRow {
  /** In a prioritised listing: 1 when the comment has an open `illegal` flag (shown first). */
  priority?: number;
  /** Featured by a moderator. */
  featured: boolean;
}

/** The comment as moderators see it: public shape plus status, text, score, reasons, email. */
export interface ModerationComment extends PublicComment {
  siteId: string;
  articleId: string;
  status: CommentStatus;
  /** The author's address, decrypted for moderators only. */
  email: string | null;
  body: string;
  spamScore: number | null;
  reasons: Reason[];
  /** Featured by a moderator: the public thread marks it and lists it under `?featured=true`. */
  featured: boolean;
  /** The publisher's login vouched for the author (SSO), or null. */
  identity: { sub: string; verified: true } | null;
}

/** `email` is the row's address, decrypted by the caller (null once erased). */
export function toModerationComment(row: ModerationRow, email: string | null): ModerationComment {
  return {
    ...contentOf(row),
    ...(row.status === 'deleted' ? { deleted: true as const } : {}),
    siteId: row.siteId,
    articleId: row.articleId,
    status: row.status,
    email,
    body: row.body,
    spamScore: row.spamScore,
    reasons: [...row.spamReasons, ...row.moderationReasons],
    featured: row.featured ?? false,
    identity: row.identitySub ? { sub: row.identitySub, verified: true } : null,
  };
}

/** A data subject's own comment as the export reads it (`SUBJECT_EXPORT_ROW`). */
export interface SubjectExportRow {
  id: string;
  siteId: string;
  articleId: string;
  parentId: string | null;
  status: CommentStatus;
  authorName: string | null;
  authorWebsite: string | null;
  authorAvatar: string | null;
  body: string;
  bodyHtml: string;
  moderationReasons: Array<{ code: string; message?: string }>;
  createdAt: Date;
  publishedAt: Date | null;
}

/** A decision about one of the subject's comments, as the audit (`moderation_actions`) has it. */
export interface SubjectDecisionRow {
  commentId: string;
  action: string;
  fromStatus: CommentStatus | null;
  toStatus: CommentStatus;
  /** The moderator's own words, if any. */
  reason: string | null;
  reasons: Array<{ code: string; message?: string }>;
  createdAt: Date;
}

/** The data subject's export of one of their comments (the address is the request's own). */
export interface SubjectExportComment {
  id: string;
  siteId: string;
  articleId: string;
  parentId: string | null;
  status: CommentStatus;
  name: string | null;
  website: string | null;
  /** The public tag shown with the comment (keyed per site). */
  avatar: string | null;
  body: string;
  bodyHtml: string;
  createdAt: string;
  publishedAt: string | null;
  /** Why the rules decided as they did. */
  moderationReasons: Array<{ code: string; message?: string }>;
  /** Every decision about the comment, with the moderator's own reason. */
  decisions: Array<{
    action: string;
    from: string | null;
    to: string;
    reason: string | null;
    reasons: Array<{ code: string; message?: string }>;
    at: string;
  }>;
}

export function toSubjectExportComment(
  r: SubjectExportRow,
  decisions: readonly SubjectDecisionRow[],
): SubjectExportComment {
  return {
    id: r.id,
    siteId: r.siteId,
    articleId: r.articleId,
    parentId: r.parentId,
    status: r.status,
    name: r.authorName,
    website: r.authorWebsite,
    avatar: r.authorAvatar,
    body: r.body,
    bodyHtml: r.bodyHtml,
    createdAt: r.createdAt.toISOString(),
    publishedAt: r.publishedAt?.toISOString() ?? null,
    moderationReasons: r.moderationReasons,
    decisions: decisions
      .filter((d) => d.commentId === r.id)
      .map((d) => ({
        action: d.action,
        from: d.fromStatus,
        to: d.toStatus,
        reason: d.reason,
        reasons: d.reasons,
        at: d.createdAt.toISOString(),
      })),
  };
}

/** A comment as the site export reads it (`SITE_EXPORT_ROW`; the email still encrypted). */
export interface SiteExportRow {
  id: string;
  articleId: string;
  parentId: string | null;
  depth: number;
  path: string;
  status: CommentStatus;
  authorName: string | null;
  authorWebsite: string | null;
  emailCiphertext: Buffer | null;
  emailKeyId: string | null;
  body: string;
  bodyHtml: string;
  spamScore: number | null;
  spamReasons: Reason[];
  moderationReasons: Reason[];
  createdAt: Date;
  publishedAt: Date | null;
  deletedAt: Date | null;
  featuredAt: Date | null;
  sourceFormat: string | null;
  sourceId: string | null;
}

/** A site-exported comment: everything needed to restore it, the email decrypted. */
export interface SiteExportComment {
  id: string;
  articleId: string;
  parentId: string | null;
  status: CommentStatus;
  createdAt: Date;
  publishedAt: Date | null;
  deletedAt: Date | null;
  featuredAt: Date | null;
  authorName: string | null;
  email: string | null;
  website: string | null;
  body: string;
  bodyHtml: string;
  spamScore: number | null;
  spamReasons: Reason[];
  moderationReasons: Reason[];
  source: { format: string; id: string } | null;
}

/** `email` is the row's address, decrypted by the caller (null once erased). */
export function toSiteExportComment(r: SiteExportRow, email: string | null): SiteExportComment {
  return {
    id: r.id,
    articleId: r.articleId,
    parentId: r.parentId,
    status: r.status,
    createdAt: r.createdAt,
    publishedAt: r.publishedAt,
    deletedAt: r.deletedAt,
    featuredAt: r.featuredAt,
    authorName: r.authorName,
    email,
    website: r.authorWebsite,
    body: r.body,
    bodyHtml: r.bodyHtml,
    spamScore: r.spamScore,
    spamReasons: r.spamReasons,
    moderationReasons: r.moderationReasons,
    source: r.sourceFormat && r.sourceId ? { format: r.sourceFormat, id: r.sourceId } : null,
  };
}
