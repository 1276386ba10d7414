import type { Reason } from '../../comments/comment.entity.js';
import type { SiteSettings } from '../../sites/site-settings.js';

/** A read-only view of what moderation may decide on. */
export interface ModerationContext {
  comment: {
    body: string;
    authorName: string | null;
    authorWebsite: string | null;
    bodyHtml: string;
    depth: number;
    spamScore: number;
    spamReasons: readonly Reason[];
  };
  author: {
    /** Has an approved comment on this site (by email blind index). */
    hasApprovedComment: boolean;
    /** Verified by the publisher's login (SSO) and that `sub` has an approved comment here. */
    trustedIdentity?: boolean;
    /** Confirmed their address by mail on this site and it has an approved comment here. */
    trustedConfirmedAddress?: boolean;
    /** An active ban matching the author's email or address. */
    ban: { id: string; reason: string } | null;
  };
  settings: SiteSettings;
  now: Date;
}

export type ModerationStatus = 'approved' | 'held' | 'rejected' | 'spam';

export interface PhaseDecision {
  status: ModerationStatus;
  reasons: Reason[];
}

/**
 * One small, pure rule. Returns a decision or nothing; the first decisive phase wins
 * (Coral's moderation phases).
 */
export type ModerationPhase = (context: ModerationContext) => PhaseDecision | null;
