/**
 * The widget's messages: one catalogue per language (`en.ts` is the source; see "Adding a
 * language" in the README), a `t()` that fills placeholders and picks plural forms with
 * `Intl.PluralRules`, and the choice of language: `data-lang`, else the page's `<html lang>`,
 * else the browser's languages, else English.
 */
import { ar } from './ar.js';
import { de } from './de.js';
import { en, type Catalogue, type MessageKey, type Plural } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';

export type { Catalogue, MessageKey } from './en.js';

export const CATALOGUES: Record<string, Catalogue> = { en, de, fr, es, ar };
/** Languages written right to left. */
const RTL = new Set(['ar', 'fa', 'he', 'ur']);

/** The first of `candidates` (BCP 47 tags, best first) that has a catalogue, by primary subtag. */
export function pickLanguage(candidates: ReadonlyArray<string | null | undefined>): string {
  for (const tag of candidates) {
    const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (primary && CATALOGUES[primary]) return primary;
  }
  return 'en';
}

export type Params = Record<string, string | number>;

/** The messages of one language, bound: `t('count', { n: 3 })` → "3 Comments". */
export class Messages {
  readonly dir: 'ltr' | 'rtl';
  private readonly catalogue: Catalogue;
  private readonly plurals: Intl.PluralRules;
  private readonly numbers: Intl.NumberFormat;
  private readonly dates: Intl.DateTimeFormat;

  constructor(readonly lang: string) {
    this.catalogue = CATALOGUES[lang] ?? en;
    this.dir = RTL.has(lang) ? 'rtl' : 'ltr';
    this.plurals = new Intl.PluralRules(lang);
    this.numbers = new Intl.NumberFormat(lang);
    this.dates = new Intl.DateTimeFormat(lang, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
  }

  t(key: MessageKey, params: Params = {}): string {
    const message: string | Plural = this.catalogue[key] ?? en[key];
    let text: string;
    if (typeof message === 'string') text = message;
    else {
      const n = Number(params.n ?? 0);
      text = message[this.plurals.select(n)] ?? message.other;
    }
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? this.numbers.format(value) : value;
    });
  }

  date(iso: string): string {
    const date = new Date(iso);
    return isNaN(date.getTime()) ? '' : this.dates.format(date);
  }
}
