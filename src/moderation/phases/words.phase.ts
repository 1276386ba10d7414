import { findListedWord } from '../../common/text/word-list.js';
import type { ModerationPhase } from './moderation-phase.js';

/** A block word in the name, website or body: spam, whoever the author. */
export const blockWordsPhase: ModerationPhase = ({ comment, settings }) => {
  const word = findListedWord(
    settings.moderation.blockWords,
    comment.body,
    comment.authorName,
    comment.authorWebsite,
  );
  return word
    ? {
        status: 'spam',
        reasons: [{ code: 'block-word', message: `Contains the blocked word "${word}"` }],
      }
    : null;
};

/** A hold word: a person looks first, even for a trusted author or in post mode. */
export const holdWordsPhase: ModerationPhase = ({ comment, settings }) => {
  const word = findListedWord(
    settings.moderation.holdWords,
    comment.body,
    comment.authorName,
    comment.authorWebsite,
  );
  return word
    ? {
        status: 'held',
        reasons: [{ code: 'hold-word', message: `Contains the held word "${word}"` }],
      }
    : null;
};
