import type { ModerationPhase } from './moderation-phase.js';

/**
 * The local abuse model rates the body abusive (insults, hate; see docs/moderation-quality.md):
 * a person decides. Runs after the word rules; sites may turn it off or move the threshold
 * (calibrated: 0.5 is the model's own operating point, chosen to hold at most 5 % of clean
 * comments in cross-validation).
 */
export const toxicityPhase: ModerationPhase = ({ comment, settings }) => {
  const { holdToxicity, toxicityThreshold } = settings.moderation;
  const score = comment.toxicity;
  if (!holdToxicity || score === undefined || score === null) return null;
  if (score < toxicityThreshold) return null;
  const shown = Math.floor(score * 100) / 100;
  return {
    status: 'held',
    reasons: [
      {
        code: 'toxicity',
        message: `Toxicity ${shown.toFixed(2)} is at or above the site's threshold ${toxicityThreshold}`,
        score: Math.round(score * 1e4) / 1e4,
      },
    ],
  };
};
