import { renderCommentBody } from '../../src/comments/model/comment-renderer.js';
import type {
  ModerationContext,
  TrustSource,
} from '../../src/moderation/phases/moderation-phase.js';
import { resolveSettings, type SiteSettingsInput } from '../../src/sites/site-settings.js';

export interface ModerationContextInput {
  body?: string;
  authorName?: string | null;
  authorWebsite?: string | null;
  depth?: number;
  spamScore?: number;
  /** Calibrated toxicity (absent: not scored). */
  toxicity?: number | null;
  /** Shorthand for `trustedBy: 'receipt'`. */
  hasApprovedComment?: boolean;
  trustedBy?: TrustSource | null;
  ban?: { id: string; reason: string } | null;
  settings?: SiteSettingsInput;
  now?: Date;
}

/** A moderation context for a plain, link-free, low-score comment; override what the test is about. */
export function makeModerationContext(input: ModerationContextInput = {}): ModerationContext {
  const body = input.body ?? 'A thoughtful comment without links.';
  return {
    comment: {
      body,
      authorName: input.authorName ?? 'Reader',
      authorWebsite: input.authorWebsite ?? null,
      bodyHtml: renderCommentBody(body),
      depth: input.depth ?? 0,
      spamScore: input.spamScore ?? 0,
      spamReasons: [],
      ...(input.toxicity !== undefined ? { toxicity: input.toxicity } : {}),
    },
    author: {
      trustedBy: input.trustedBy ?? (input.hasApprovedComment ? 'receipt' : null),
      ban: input.ban ?? null,
    },
    settings: resolveSettings(input.settings),
    now: input.now ?? new Date('2026-03-01T12:00:00.000Z'),
  };
}

/** A Markdown body with `n` distinct links. */
export function bodyWithLinks(n: number): string {
  return Array.from({ length: n }, (_, i) => `[link ${i}](https://site${i}.example/page)`).join(
    ' and ',
  );
}
