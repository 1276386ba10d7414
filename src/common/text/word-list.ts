/**
 * Matching moderators' word lists the way evaders do not expect: Unicode NFKC (full-width and
 * compatibility forms fold to plain letters), zero-width and soft-hyphen characters removed,
 * case-insensitive, whole words only (so "class" does not match "ass").
 */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

export function normalizeForMatching(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase();
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const cache = new Map<string, RegExp | null>();
const CACHE_LIMIT = 256;

/** One compiled matcher per list (cached): whole words, any of the list. */
export function compileWordList(words: readonly string[]): RegExp | null {
  const key = words.join('\u0000');
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const terms = [...new Set(words.map((w) => normalizeForMatching(w).trim()).filter(Boolean))]
    .sort((a, b) => b.length - a.length)
    .map((w) => escapeRegExp(w).replace(/\s+/g, '\\s+'));
  const regex = terms.length
    ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${terms.join('|')})(?![\\p{L}\\p{N}_])`, 'u')
    : null;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, regex);
  return regex;
}

/** The first listed word found in any of the texts, as written in the list's normal form. */
export function findListedWord(
  words: readonly string[],
  ...texts: Array<string | null>
): string | null {
  const regex = compileWordList(words);
  if (!regex) return null;
  for (const text of texts) {
    if (!text) continue;
    const match = regex.exec(normalizeForMatching(text));
    if (match) return match[0];
  }
  return null;
}
