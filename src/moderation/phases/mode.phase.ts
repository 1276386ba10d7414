import type { ModerationPhase } from './moderation-phase.js';

/** The site's mode decides whatever no earlier rule did. Always decisive, so it runs last. */
export const modePhase: ModerationPhase = ({ settings, author }) => {
  switch (settings.moderation.mode) {
    case 'pre':
      return {
        status: 'held',
        reasons: [
          { code: 'mode-pre', message: 'This site reviews every comment before publishing' },
        ],
      };
    case 'trusted':
      // Proof, never an address alone: the publisher's signed identity, a confirmed address.
      if (author.trustedIdentity) {
        return {
          status: 'approved',
          reasons: [
            { code: 'trusted-identity', message: "The publisher's login vouches for the author" },
          ],
        };
      }
      if (author.trustedConfirmedAddress) {
        return {
          status: 'approved',
          reasons: [
            {
              code: 'trusted-confirmed-address',
              message: 'The author confirmed their address and has an approved comment',
            },
          ],
        };
      }
      return author.hasApprovedComment
        ? {
            status: 'approved',
            reasons: [{ code: 'trusted-author', message: 'The author has an approved comment' }],
          }
        : {
            status: 'held',
            reasons: [
              { code: 'first-comment', message: "The author's first comment on this site" },
            ],
          };
    case 'post':
      return {
        status: 'approved',
        reasons: [{ code: 'mode-post', message: 'This site publishes unless a rule objects' }],
      };
  }
};
