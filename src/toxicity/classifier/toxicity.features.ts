import {
  DEFAULT_FEATURE_OPTIONS,
  extractFeatures,
  type FeatureOptions,
  type FeatureVector,
} from '../../spam/classifier/feature.extractor.js';
import { cleanText } from '../../spam/classifier/text.normalizer.js';
import { murmur3 } from '../../spam/classifier/hash.util.js';

/**
 * Features of the toxicity model: the spam classifier's extractor (the same decoding: HTML
 * entities and markup, zero-width and other invisible characters, NFKC, look-alike letters
 * from other scripts, letter runs), run over the text after two steps of its own:
 * - leetspeak inside words is read as letters (`sh1t`, `b!tch`, `@ss`), but only in tokens
 *   that already hold a letter, so numbers (`455`, `5,455`, `2024`) stay numbers;
 * - `@handles` and links become placeholders (who is addressed is not what is said);
 * - emoji become words of their own (the spam extractor's words are letters and digits only).
 * No spam cues and no link/domain markers: abuse is in the words. Groups of fewer than 10 ids
 * weigh less than unit length (`minGroupSize`), so a one-word reply ("OK", "A") is not judged
 * on one word's full weight.
 */

/** Characters read as letters inside a word that has at least one letter. */
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
};
/** A run of letters, digits and the symbols above. */
const TOKEN = /[\p{L}\p{N}@$!|]+/gu;
const HAS_LETTER = /\p{L}/u;
/** A token that is a number with letters after it (`1st`, `10pm`, `5k`, `1990s`) stays as it is. */
const NUMBER_WITH_UNIT = /^\d+(?:st|nd|rd|th|s|am|pm|k|m|bn|kg|km|mph|p|x)$/i;
const TRAILING_PUNCT = /[!|]+$/;

/** Reads leetspeak inside words as letters; tokens without a letter are left alone. */
export function decodeLeet(text: string): string {
  return text.replace(TOKEN, (token) => {
    if (NUMBER_WITH_UNIT.test(token)) return token;
    // Trailing `!` and `|` are punctuation ("wow!!!"), not letters.
    const core = token.replace(TRAILING_PUNCT, '');
    if (!HAS_LETTER.test(core)) return token;
    let out = '';
    for (const ch of core) out += LEET[ch] ?? ch;
    return out + token.slice(core.length);
  });
}

const MENTION = /(^|[^\p{L}\p{N}_])@[A-Za-z0-9_]{4,30}/gu;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
const RETWEET = /(^|\s)RT(?=\s|:)/g;
const EMOJI = /\p{Extended_Pictographic}/gu;

/** The text the toxicity model reads: mentions, links and retweet markers replaced. */
export function prepareToxicityText(raw: string): string {
  const text = raw.replace(MENTION, '$1 someone ').replace(URL, ' link ').replace(RETWEET, '$1');
  // Entities decoded first, so an emoji written `&#128514;` is one too; emoji words after the
  // leetspeak, which would read their hex digits as letters.
  return decodeLeet(cleanText(text)).replace(EMOJI, (e) => ` e${Buffer.from(e).toString('hex')} `);
}

/** The shipped toxicity model's feature settings (chosen by measurement, docs/moderation-quality.md). */
export const TOXICITY_FEATURE_OPTIONS: FeatureOptions = {
  ...DEFAULT_FEATURE_OPTIONS,
  bits: 18,
  words: true,
  wordBigrams: false,
  charMin: 3,
  charMax: 5,
  charMode: 'word',
  meta: false,
  cues: false,
  cueSummary: false,
  groupWeights: { word: 1, char: 1, meta: 0 },
  minGroupSize: 10,
};

/** Hashed features of a comment for the toxicity model. */
export function toxicityFeatures(
  raw: string,
  options: FeatureOptions = TOXICITY_FEATURE_OPTIONS,
): FeatureVector {
  return extractFeatures(prepareToxicityText(raw), options);
}

/**
 * Bump when a code change alters which ids a text gets here (leet decoding, placeholders), so
 * lessons stored for the old ids are not mixed with the new ones.
 */
export const TOXICITY_FEATURE_VERSION = 1;

/** Fingerprint of how texts become feature ids (a sibling of the spam model's, never equal). */
export function toxicityFeatureSpaceOf(options: FeatureOptions): string {
  const { bits, words, wordBigrams, charMin, charMax, charMode, meta, cues } = options;
  const key = JSON.stringify({
    model: 'toxicity',
    v: TOXICITY_FEATURE_VERSION,
    bits,
    words,
    wordBigrams,
    charMin,
    charMax,
    charMode,
    meta,
    cues,
  });
  return `tox${TOXICITY_FEATURE_VERSION}-${murmur3(key).toString(16).padStart(8, '0')}`;
}
