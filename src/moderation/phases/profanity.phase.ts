import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import { normalizeForMatching } from '../../common/text/word-list.js';
import type { ModerationPhase } from './moderation-phase.js';

/** obscenity's English list, with its transformers for leetspeak, repeats and confusables. */
const matcher = new RegExpMatcher({
  ...englishDataset.build(),
  ...englishRecommendedTransformers,
});

const LETTER = /\p{L}/u;

/**
 * Whether `text` holds a listed word. A match must contain at least one letter of the text
 * itself: obscenity's leetspeak transformers read digits and symbols as letters, which finds
 * `a55hole` but would also find a swear word in "The vote was 455 to 120."
 */
export function hasProfanity(text: string): boolean {
  const normalized = normalizeForMatching(text);
  if (!matcher.hasMatch(normalized)) return false;
  return matcher
    .getAllMatches(normalized)
    .some((m) => LETTER.test(normalized.slice(m.startIndex, m.endIndex + 1)));
}

export function containsProfanity(...texts: Array<string | null>): boolean {
  return texts.some((text) => text !== null && hasProfanity(text));
}

/** Profanity in the name or body: a person decides (sites may turn this off). */
export const profanityPhase: ModerationPhase = ({ comment, settings }) => {
  if (!settings.moderation.holdProfanity) return null;
  return containsProfanity(comment.body, comment.authorName)
    ? { status: 'held', reasons: [{ code: 'profanity', message: 'Contains profanity' }] }
    : null;
};
