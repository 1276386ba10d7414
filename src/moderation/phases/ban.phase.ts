import type { ModerationPhase } from './moderation-phase.js';

/** A banned author (by email or address): rejected, quietly. */
export const banPhase: ModerationPhase = ({ author }) =>
  author.ban
    ? {
        status: 'rejected',
        reasons: [{ code: 'banned', message: `The author is banned: ${author.ban.reason}` }],
      }
    : null;
