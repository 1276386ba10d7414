import { fmix32, murmur3 } from './hash.util.js';
import { IdSet } from './id.set.js';
import { isSourceHost } from './source-links.js';
import { matchSpamCues } from './spam-cue.lexicon.js';
import { cleanText, foldText } from './text.normalizer.js';

/**
 * Feature extraction: a comment becomes a set of hashed feature ids (the "hashing trick"),
 * each in `[0, 2^bits)`, read from the text alone, in three groups:
 * - `word`: words and word pairs;
 * - `char`: character n-grams inside words (what near-duplicates share even when reworded;
 *   weight 0.3 in the shipped base model, and what the moderator-feedback layer matches on);
 * - `meta`: shape markers (has a link, the link's domain, shouting, long digit runs, length)
 *   and spam cue families (`spam-cue.lexicon.ts`).
 *
 * Each id also gets a value for linear models: every group is L2-normalised on its own and
 * scaled by its group weight, so a long comment's hundreds of character n-grams do not drown
 * its few words and markers. Naive Bayes and the feedback counts use the ids only.
 */
export interface FeatureOptions {
  /** Size of the hashed feature space, as a power of two (10..24). */
  readonly bits: number;
  /** Word unigrams. */
  readonly words: boolean;
  /** Word bigrams. */
  readonly wordBigrams: boolean;
  /** Shortest character n-gram; 0 turns character n-grams off. */
  readonly charMin: number;
  /** Longest character n-gram. */
  readonly charMax: number;
  /**
   * `word`: n-grams inside each white-space-delimited token padded with spaces (scikit-learn's
   * `char_wb`); `text`: n-grams over the whole folded text, across word boundaries.
   */
  readonly charMode: 'word' | 'text';
  /** Shape markers (links, domains, capitals, digits, length). */
  readonly meta: boolean;
  /** Spam cue families from `spam-cue.lexicon.ts`. */
  readonly cues: boolean;
  /**
   * Also a shared marker for "asks the reader for something" (any request family) and one for
   * two families or more, so a family seldom seen in training borrows the strength of the others.
   */
  readonly cueSummary?: boolean;
  /** Weight of each group's unit-length block in linear models. */
  readonly groupWeights: { readonly word: number; readonly char: number; readonly meta: number };
  /**
   * Each value is `weight / sqrt(max(group size, minGroupSize))` (default 1): a group with fewer
   * ids than this is shorter than unit length, so a one-word comment's word does not weigh as
   * much as a whole sentence (the toxicity model uses it; the spam model does not).
   */
  readonly minGroupSize?: number;
}

/**
 * Hashed features of one text: ids laid out group by group (`word`, then `char`, then
 * `meta`, each in the order first seen in the text), and each id's value for linear models.
 */
export interface FeatureVector {
  /** Feature ids; unique within a group (a hash collision across groups may repeat one). */
  readonly ids: Uint32Array;
  /** Value of each id for linear models (group weight / sqrt(group size); 0 for a group of weight 0). */
  readonly values: Float64Array;
  /** Number of `word` ids (they come first). */
  readonly wordCount: number;
  /** Number of `char` ids (they follow the word ids). */
  readonly charCount: number;
}

/** The shipped model's feature settings (chosen by measurement, see docs/spam.md). */
export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  bits: 20,
  words: true,
  wordBigrams: true,
  charMin: 3,
  charMax: 5,
  charMode: 'word',
  meta: true,
  cues: true,
  cueSummary: true,
  groupWeights: { word: 1, char: 0.3, meta: 1.5 },
};

/** Longest text read, in UTF-16 code units; the rest of a very long comment is ignored. */
export const MAX_TEXT_LENGTH = 4000;

const SEED_WORD = 0x5eed0001;
const SEED_BIGRAM = 0x5eed0002;
const SEED_META = 0x5eed0003;
const SEED_CHAR = 0x5eed0004;

/** Cue families that ask the reader for something (see `FeatureOptions.cueSummary`). */
const REQUEST_CUES: ReadonlySet<string> = new Set([
  'own-content',
  'visit-request',
  'subscribe',
  'like-request',
  'follow-request',
  'share-request',
  'money',
  'audience-goal',
]);

const WORD = /[\p{L}\p{N}]+/gu;
const APOSTROPHE = /['’`]/g;
const URL = /\b(?:https?:\/\/|www\d?\.)[^\s<>"']+/gi;
const HAS_URL = /\b(?:https?:\/\/|www\d?\.)/i;
const BARE_DOMAIN =
  /\b([a-z0-9][a-z0-9-]{1,62})\s?(?:\.|\(dot\)|\[dot\]| dot )\s?(com|net|org|info|biz|co|tk|ly|me|tv|us|uk|de|ru|io|gl|be|xyz|club|online|site|top)\b/gi;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[a-z]{2,}/iu;
const TIME_REF = /(?:^|[^\d:])\d{1,2}:[0-5]\d(?![\d:])/;
const LONG_DIGITS = /\d{5,}/;
const REPEATED_PUNCT = /([!?$*])\1{2,}/;
const EMOJI = /\p{Extended_Pictographic}/u;
const UPPER = /\p{Lu}/gu;
const LETTER = /\p{L}/gu;
const NON_ASCII = /[^\u0000-\u007f]/;

/** Letters and upper-case letters in `text` (ASCII fast path, Unicode-aware otherwise). */
function countLetters(text: string): [number, number] {
  if (NON_ASCII.test(text)) {
    return [text.match(LETTER)?.length ?? 0, text.match(UPPER)?.length ?? 0];
  }
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      letters++;
      upper++;
    } else if (c >= 97 && c <= 122) {
      letters++;
    }
  }
  return [letters, upper];
}

/** Host of a URL-ish string, without `www.`; empty when none can be read. */
function hostOf(url: string): string {
  const match = /^(?:https?:\/\/)?([^/?#:\s]+)/i.exec(url);
  const host = (match?.[1] ?? '').toLowerCase().replace(/^www\d?\./, '');
  return host;
}

/**
 * Shape markers read from the cleaned (case-kept) text. A link to a source (`source-links.ts`)
 * counts as `link:source`, not in the link count, and a digit run inside it is no
 * `long-digits`: citing the council's minutes is not advertising.
 */
export function metaTokens(clean: string): string[] {
  const out: string[] = [];
  let links = 0;
  let sources = 0;
  for (const m of clean.matchAll(URL)) {
    const host = hostOf(m[0]);
    if (host && isSourceHost(host)) {
      sources++;
      continue;
    }
    links++;
    if (host) {
      out.push(`host:${host}`);
      const parts = host.split('.');
      if (parts.length > 2) out.push(`host:${parts.slice(-2).join('.')}`);
    }
  }
  for (const m of (sources > 0 ? withoutSourceLinks(clean) : clean).matchAll(BARE_DOMAIN)) {
    links++;
    out.push(`host:${(m[1] ?? '').toLowerCase()}.${(m[2] ?? '').toLowerCase()}`);
  }
  out.push(links === 0 ? 'link:0' : links === 1 ? 'link:1' : 'link:2+');
  if (sources > 0) out.push('link:source');
  if (clean.includes('@') && EMAIL.test(clean)) out.push('email');
  if (clean.includes(':') && TIME_REF.test(clean)) out.push('time-ref');
  if (LONG_DIGITS.test(sources > 0 ? withoutSourceLinks(clean) : clean)) out.push('long-digits');
  if (REPEATED_PUNCT.test(clean)) out.push('repeated-punct');
  if (NON_ASCII.test(clean) && EMOJI.test(clean)) out.push('emoji');
  const [letters, upper] = countLetters(clean);
  if (letters >= 8) {
    const share = upper / letters;
    out.push(share > 0.6 ? 'caps:high' : share > 0.25 ? 'caps:mid' : 'caps:low');
  }
  out.push(`len:${Math.min(10, Math.floor(Math.log2(clean.length + 1)))}`);
  return out;
}

/** The text with links to sources removed (their addresses are not the author's words). */
function withoutSourceLinks(text: string): string {
  return text.replace(URL, (url) => {
    const host = hostOf(url);
    return host && isSourceHost(host) ? ' ' : url;
  });
}

/**
 * Hashed character n-grams of `text` (lengths `min..max`), computed incrementally (FNV-1a
 * over UTF-16 code units, then MurmurHash3's finaliser) so no substrings are allocated.
 */
function addCharNgrams(text: string, min: number, max: number, mask: number, out: IdSet): void {
  const len = text.length;
  for (let i = 0; i < len; i++) {
    let h = SEED_CHAR;
    const end = Math.min(len, i + max);
    for (let j = i; j < end; j++) {
      h = Math.imul(h ^ text.charCodeAt(j), 0x01000193);
      const n = j - i + 1;
      if (n >= min) out.add(fmix32(h ^ n) & mask);
    }
  }
}

/** Reused between calls (extraction is synchronous, so never shared by two calls at once). */
const WORD_IDS = new IdSet(256);
const CHAR_IDS = new IdSet(2048);
const META_IDS = new IdSet(64);

/** Writes one group's ids (in first-seen order) with value `weight / sqrt(size)` each. */
function writeGroup(
  group: IdSet,
  weight: number,
  ids: Uint32Array,
  values: Float64Array,
  offset: number,
  minSize: number,
): void {
  if (group.size === 0) return;
  group.copyTo(ids, offset);
  values.fill(weight / Math.sqrt(Math.max(group.size, minSize)), offset, offset + group.size);
}

/** Hashed features of a raw comment (see `FeatureOptions`). */
export function extractFeatures(
  raw: string,
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
): FeatureVector {
  const mask = 2 ** options.bits - 1;
  const clean = cleanText(
    raw.length > MAX_TEXT_LENGTH * 2 ? raw.slice(0, MAX_TEXT_LENGTH * 2) : raw,
  ).slice(0, MAX_TEXT_LENGTH);
  // Words and characters: a link to a source is neither (see `metaTokens`).
  const folded = foldText(HAS_URL.test(clean) ? withoutSourceLinks(clean) : clean);
  const word = WORD_IDS;
  const char = CHAR_IDS;
  const meta = META_IDS;
  word.clear();
  char.clear();
  meta.clear();

  if (options.words || options.wordBigrams) {
    const words = folded.replace(APOSTROPHE, '').match(WORD) ?? [];
    if (options.words) for (const w of words) word.add(murmur3(w, SEED_WORD) & mask);
    if (options.wordBigrams) {
      for (let i = 1; i < words.length; i++) {
        word.add(murmur3(`${words[i - 1]} ${words[i]}`, SEED_BIGRAM) & mask);
      }
    }
  }
  if (options.charMin > 0) {
    if (options.charMode === 'text') {
      addCharNgrams(` ${folded} `, options.charMin, options.charMax, mask, char);
    } else {
      for (const token of folded.split(' ')) {
        if (token) addCharNgrams(` ${token} `, options.charMin, options.charMax, mask, char);
      }
    }
  }
  if (options.meta) for (const t of metaTokens(clean)) meta.add(murmur3(t, SEED_META) & mask);
  if (options.cues) {
    const cues = matchSpamCues(folded);
    for (const t of cues) meta.add(murmur3(`cue:${t}`, SEED_META) & mask);
    if (options.cueSummary) {
      const requests = cues.filter((c) => REQUEST_CUES.has(c)).length;
      if (requests > 0) meta.add(murmur3('cue:any', SEED_META) & mask);
      if (requests > 1) meta.add(murmur3('cue:2+', SEED_META) & mask);
    }
  }

  const size = word.size + char.size + meta.size;
  const ids = new Uint32Array(size);
  const values = new Float64Array(size);
  const weights = options.groupWeights;
  const minSize = options.minGroupSize ?? 1;
  writeGroup(word, weights.word, ids, values, 0, minSize);
  writeGroup(char, weights.char, ids, values, word.size, minSize);
  writeGroup(meta, weights.meta, ids, values, word.size + char.size, minSize);
  return {
    ids,
    values,
    wordCount: word.size,
    charCount: char.size,
  };
}
