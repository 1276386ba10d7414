import { banPhase } from './phases/ban.phase.js';
import { linksPhase } from './phases/links.phase.js';
import { modePhase } from './phases/mode.phase.js';
import type {
  ModerationContext,
  ModerationPhase,
  PhaseDecision,
} from './phases/moderation-phase.js';
import { profanityPhase } from './phases/profanity.phase.js';
import { spamScorePhase } from './phases/spam-score.phase.js';
import { toxicityPhase } from './phases/toxicity.phase.js';
import { blockWordsPhase, holdWordsPhase } from './phases/words.phase.js';

/** The phases in order; the first that decides wins. `modePhase` always decides. */
export const MODERATION_PHASES: readonly ModerationPhase[] = [
  banPhase,
  blockWordsPhase,
  spamScorePhase,
  holdWordsPhase,
  profanityPhase,
  toxicityPhase,
  linksPhase,
  modePhase,
];

export function moderate(
  context: ModerationContext,
  phases: readonly ModerationPhase[] = MODERATION_PHASES,
): PhaseDecision {
  for (const phase of phases) {
    const decision = phase(context);
    if (decision) return decision;
  }
  throw new Error('No moderation phase decided; the mode phase must be last');
}
