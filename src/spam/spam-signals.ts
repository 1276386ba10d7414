import type { Reason } from '../comments/comment.entity.js';
import { countLinks } from '../comments/comment-renderer.js';

/** What the spam scorer may look at: the text and submission facts, never the author's data. */
export interface SpamInput {
  body: string;
  bodyHtml: string;
  honeypot: boolean;
  /** null: no proof of work was sent. */
  powVerified: boolean | null;
}

/** What a signal may know of the site. */
export interface SignalSettings {
  requireProofOfWork: boolean;
}

export interface SpamVerdict {
  /** In [0, 1]. */
  score: number;
  reasons: Reason[];
}

/**
 * Independent signals combined as 1 − Π(1 − wᵢ): each can only raise the score, none alone
 * exceeds its weight, and a certain signal (weight 1) decides.
 */
export function combine(reasons: Reason[]): number {
  const keep = reasons.reduce((p, r) => {
    const raw = r.weight ?? 0;
    const w = Number.isNaN(raw) ? 0 : Math.min(1, Math.max(0, raw));
    return p * (1 - w);
  }, 1);
  return Math.round((1 - keep) * 1e4) / 1e4;
}

export function honeypotSignal(input: SpamInput): Reason | null {
  return input.honeypot
    ? { code: 'honeypot', message: 'The hidden honeypot field was filled in', weight: 1 }
    : null;
}

export function linksSignal(input: SpamInput): Reason | null {
  const links = countLinks(input.bodyHtml);
  if (links === 0) return null;
  return {
    code: 'links',
    message: `${links} link${links === 1 ? '' : 's'} in the comment`,
    weight: Math.min(0.15 * links, 0.6),
  };
}

/** A site that requires proof of work got none, or any site got a forged or replayed one. */
export function proofOfWorkSignal(input: SpamInput, settings: SignalSettings): Reason | null {
  if (input.powVerified === false) {
    return { code: 'pow-invalid', message: 'The proof of work was invalid or reused', weight: 0.7 };
  }
  if (settings.requireProofOfWork && input.powVerified !== true) {
    return {
      code: 'pow-missing',
      message: 'The site requires proof of work; none was sent',
      weight: 0.5,
    };
  }
  return null;
}

export type SpamSignal = (input: SpamInput, settings: SignalSettings) => Reason | null;

export const SIGNALS: readonly SpamSignal[] = [honeypotSignal, linksSignal, proofOfWorkSignal];

export function scoreSignals(input: SpamInput, settings: SignalSettings): SpamVerdict {
  const reasons = SIGNALS.map((signal) => signal(input, settings)).filter(
    (r): r is Reason => r !== null,
  );
  return { score: combine(reasons), reasons };
}
