import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import { normalizeForMatching } from '../../common/text/word-list.js';
import type { ModerationPhase } from './moderation-phase.js';

/** obscenity's English list, with its transformers for leetspeak, repeats and confusables. */
const matcher = new RegExpMatcher({
  ...englishDataset.build(),
  ...englishRecommendedTransformers,
});

export function containsProfanity(...texts: Array<string | null>): boolean {
  return texts.some((text) => text !== null && matcher.hasMatch(normalizeForMatching(text)));
}

/** Profanity in the name or body: a person decides (sites may turn this off). */
export const profanityPhase: ModerationPhase = ({ comment, settings }) => {
  if (!settings.moderation.holdProfanity) return null;
  return containsProfanity(comment.body, comment.authorName)
    ? { status: 'held', reasons: [{ code: 'profanity', message: 'Contains profanity' }] }
    : null;
};
