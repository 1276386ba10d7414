import type { DecisionRow } from '../comments/trust/comment-trust.repository.js';

/** What the author reads about the decision on their comment (never the internal note). */
export interface DecisionStatement {
  reasonCode: string;
  explanation: string;
  decidedAt: string;
  automated: boolean;
}

/** The public texts of the codes that automated decisions (rules and filters) carry. */
export const AUTOMATED_EXPLANATIONS: Readonly<Record<string, string>> = Object.freeze({
  banned: 'The comment was not published: you may not comment on this site at present.',
  'block-word': 'The comment was not published: it contains words this site does not allow.',
  'spam-filter': 'The comment was not published: the spam filter identified it as spam.',
  automated: 'The comment was not published by the site’s automated rules.',
});

/** The code an author delete carries. */
export const AUTHOR_DELETED = 'author-deleted';

export function isAutomated(actor: string): boolean {
  return actor.startsWith('system:');
}

/**
 * The statement of reasons for a decision: its code, the site's public text for it (an
 * automated code's own text when the site has none), when, and whether a person decided.
 */
export function statementOf(
  decision: Pick<DecisionRow, 'actor' | 'action' | 'reasonCode' | 'reasons' | 'createdAt'>,
  siteReasons: Readonly<Record<string, string>>,
): DecisionStatement {
  const automated = isAutomated(decision.actor);
  if (decision.actor === 'author') {
    return {
      reasonCode: AUTHOR_DELETED,
      explanation: 'You deleted this comment.',
      decidedAt: decision.createdAt.toISOString(),
      automated: false,
    };
  }
  const code =
    decision.reasonCode ?? (automated ? (decision.reasons[0]?.code ?? 'automated') : 'other');
  const explanation =
    siteReasons[code] ??
    AUTOMATED_EXPLANATIONS[code] ??
    (automated ? AUTOMATED_EXPLANATIONS.automated : siteReasons.other) ??
    AUTOMATED_EXPLANATIONS.automated;
  return {
    reasonCode: code,
    explanation,
    decidedAt: decision.createdAt.toISOString(),
    automated,
  };
}
