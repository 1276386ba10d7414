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
    /**
     * Calibrated toxicity of the body (0.5 = the model's threshold); absent when not scored
     * (the site does not hold toxicity).
     */
    toxicity?: number | null;
  };
  author: {
    /** Has an approved comment on this site (by email blind index). */
    hasApprovedComment: boolean;
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
