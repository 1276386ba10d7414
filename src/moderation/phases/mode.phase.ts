import type { ModerationPhase, TrustSource } from './moderation-phase.js';

const TRUSTED_BECAUSE: Record<TrustSource, string> = {
  receipt: 'The author proved an approved comment of theirs on this site (receipt)',
  sso: "The author is signed in with the publisher's login",
  confirmed: 'The author confirmed their address',
};

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
      return author.trustedBy
        ? {
            status: 'approved',
            reasons: [{ code: 'trusted-author', message: TRUSTED_BECAUSE[author.trustedBy] }],
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
