/**
 * The widget's messages: one catalogue per language (`en.ts` is the source; see "Adding a
 * language" in the README), bound by the shared `Messages` (src/common/i18n: placeholders,
 * plural forms with `Intl.PluralRules`, numbers and dates with `Intl`), and the choice of
 * language: `data-lang`, else the page's `<html lang>`, else the browser's languages, else
 * English.
 */
import {
  Messages as BoundMessages,
  pickLanguage as pick,
} from '../../../src/common/i18n/messages.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { en, type Catalogue } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';

export type { Catalogue, MessageKey } from './en.js';

export const CATALOGUES: Record<string, Catalogue> = { en, de, fr, es, ar };

/** The first of `candidates` (BCP 47 tags, best first) with a catalogue, by primary subtag. */
export function pickLanguage(candidates: ReadonlyArray<string | null | undefined>): string {
  return pick(candidates, Object.keys(CATALOGUES));
}

/** The widget's messages in one language. */
export class Messages extends BoundMessages<typeof en> {
  constructor(lang: string) {
    super(lang, CATALOGUES[lang] ?? en, en);
  }
}
