import { countLinks } from '../../comments/model/comment-renderer.js';
import type { ModerationPhase } from './moderation-phase.js';

/** More links than the site allows: held, as WordPress does. */
export const linksPhase: ModerationPhase = ({ comment, settings }) => {
  const links = countLinks(comment.bodyHtml);
  if (links <= settings.moderation.maxLinks) return null;
  return {
    status: 'held',
    reasons: [
      {
        code: 'too-many-links',
        message: `${links} links; the site holds comments with more than ${settings.moderation.maxLinks}`,
      },
    ],
  };
};
