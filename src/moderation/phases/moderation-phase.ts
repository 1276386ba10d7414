import type { Reason } from '../../comments/model/comment.entity.js';
import type { SiteSettings } from '../../sites/site-settings.js';

/** Proofs that make an author trusted in `trusted` mode. */
export type TrustSource = 'receipt' | 'sso' | 'confirmed';

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
    /**
     * How the author proved who they are, if they did (`AuthorTrustService`, computed once
     * before the phases run): a receipt of their own approved comment on this site, and later
     * the publisher's SSO or a confirmed address. Never the email address alone.
     */
    trustedBy: TrustSource | null;
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
