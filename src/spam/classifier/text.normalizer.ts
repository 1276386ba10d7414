import { decodeHTML } from 'entities';

/**
 * Text normalisation for the spam classifier. Pure functions, no I/O.
 *
 * `cleanText` turns a comment as stored or as returned by an API (HTML entities, `<br />`,
 * `<a href>` markup, invisible characters, styled Unicode letters) into plain text that keeps
 * its case; `foldText` then lower-cases it and removes what spammers use to dodge filters
 * (diacritics, look-alike letters from other scripts).
 */

/** `<a ... href="URL" ...>label</a>`: keep both the URL and the label as text. */
const ANCHOR = /<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
/** Class names of links a platform adds around hashtags and @/+ mentions. */
const AUTO_LINK_CLASS =
  /\bclass\s*=\s*["']?[^"'>]*\b(?:hashtag|mention|proflink|ot-hashtag|u-url)\b/i;
/** `<br>`, `<br/>`, `<br />`, `<p>`, `</p>`, `<div>`: line breaks. */
const BLOCK_TAG = /<\s*\/?\s*(?:br|p|div|li|ul|ol|tr|h[1-6])\b[^>]*>/gi;
/** Any other tag (an opening `<` followed by a letter or `/`), dropped. */
const OTHER_TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi;
/**
 * Invisible characters: BOM / zero-width no-break space, zero-width space / joiners,
 * word joiner, soft hyphen, bidi controls, and the rest of Unicode's "format" category.
 */
const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0]/gu;
/** Control characters other than tab and line breaks. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const SPACES = /[\s\u00a0]+/g;
/** A letter repeated three times or more ("sooooo"), squeezed to two. */
const LETTER_RUN = /(\p{L})\1{2,}/gu;
const ASCII_LETTER_RUN = /([a-z])\1{2,}/g;
const NON_ASCII = /[^\u0000-\u007f]/;
const COMBINING_MARK = /\p{M}+/gu;
const ENTITY_LEFT = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

/**
 * Latin look-alikes from Cyrillic and Greek that survive NFKC (`раураl` written with
 * Cyrillic letters). Applied after lower-casing, so only lower-case forms are listed.
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ɡ: 'g',
  һ: 'h',
  ԛ: 'q',
  ԝ: 'w',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
};
const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');

const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)/i;
const TIME_LABEL = /^\d{1,2}(?::\d{2}){1,2}$/;
const MENTION_OR_TAG = /^[#@+]\S/;

/**
 * Text standing for a link. The author's words are kept, plus the target when the author
 * wrote it: a label that is itself a URL becomes that URL; links the platform adds on its own
 * (a typed `2:19` turned into a timestamp link, `#tag` and `+name` turned into search or
 * profile links) become their label only; any other link keeps both target and label.
 */
function anchorText(attributes: string, labelHtml: string): string {
  const m = HREF.exec(attributes);
  const href = decodeEntities(m?.[1] ?? m?.[2] ?? m?.[3] ?? '');
  const label = decodeEntities(labelHtml.replace(OTHER_TAG, '')).trim();
  if (!href) return ` ${label} `;
  if (!label || URL_LIKE.test(label) || label === href) return ` ${href} `;
  if (TIME_LABEL.test(label) || MENTION_OR_TAG.test(label) || AUTO_LINK_CLASS.test(attributes)) {
    return ` ${label} `;
  }
  return ` ${href} ${label} `;
}

/** Decodes HTML entities, at most twice (comments are sometimes escaped twice). */
function decodeEntities(text: string): string {
  let out = text;
  for (let pass = 0; pass < 2 && out.includes('&') && ENTITY_LEFT.test(out); pass++) {
    out = decodeHTML(out);
  }
  return out;
}

/**
 * Plain text of a comment, case kept: markup removed (link targets kept as text), HTML
 * entities decoded, invisible and control characters removed, Unicode NFKC-normalised
 * (full-width and "mathematical bold" letters become ASCII), white space collapsed.
 */
export function cleanText(raw: string): string {
  // Most comments are ASCII apart from a trailing BOM: drop it first to take the fast path.
  let text = raw.includes('\ufeff') ? raw.replaceAll('\ufeff', '') : raw;
  const ascii = !NON_ASCII.test(text);
  if (!ascii) text = text.replace(INVISIBLE, '');
  if (text.includes('<')) {
    text = text
      .replace(ANCHOR, (_m, attributes: string, label: string) => anchorText(attributes, label))
      .replace(BLOCK_TAG, '\n')
      .replace(OTHER_TAG, ' ');
  }
  text = decodeEntities(text);
  if (NON_ASCII.test(text)) text = text.normalize('NFKC').replace(INVISIBLE, '');
  return text.replace(CONTROL, ' ').replace(SPACES, ' ').trim();
}

/**
 * Lower-cased, accent-free form of cleaned text, with Cyrillic/Greek look-alikes mapped to
 * Latin letters and letter runs squeezed to two (`soooo` → `soo`). This is what the word and
 * character features are read from.
 */
export function foldText(clean: string): string {
  let text = clean.toLowerCase();
  if (NON_ASCII.test(text)) {
    text = text
      .normalize('NFKD')
      .replace(COMBINING_MARK, '')
      .normalize('NFKC')
      .replace(CONFUSABLE, (ch) => CONFUSABLES[ch] ?? ch)
      .replace(LETTER_RUN, '$1$1');
  } else {
    text = text.replace(ASCII_LETTER_RUN, '$1$1');
  }
  return text;
}

/** `foldText(cleanText(raw))`. */
export function normalizeText(raw: string): string {
  return foldText(cleanText(raw));
}
