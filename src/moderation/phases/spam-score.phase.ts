import type { ModerationPhase } from './moderation-phase.js';

/** The spam filter was unsure (score in the doubtful band): a person decides. */
export const spamScorePhase: ModerationPhase = ({ comment, settings }) => {
  if (comment.spamScore < settings.spam.holdThreshold) return null;
  return {
    status: 'held',
    reasons: [
      {
        code: 'spam-doubtful',
        message: `Spam score ${comment.spamScore.toFixed(2)} is at or above the hold threshold ${settings.spam.holdThreshold}`,
      },
    ],
  };
};
