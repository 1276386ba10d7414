/**
 * Message catalogues, shared by the widget (bundled into widget.js) and the server's pages and
 * mails: one catalogue per language with the same keys as its English source, `{name}`
 * placeholders, and plural forms chosen with `Intl.PluralRules`. No DOM and no Node APIs here,
 * so both sides can import it.
 *
 * A message that depends on a number is an object with one text per plural category the
 * language uses (`zero`, `one`, `two`, `few`, `many`, `other`; `other` is required), and its
 * `{n}` is the number formatted for the language.
 */

export type Plural = { [category in Intl.LDMLPluralRule]?: string } & { other: string };
export type Message = string | Plural;

/** A catalogue with the keys of `Source`: strings stay strings, plurals stay plurals. */
export type CatalogueOf<Source> = {
  [key in keyof Source]: Source[key] extends string ? string : Plural;
};

export type Params = Record<string, string | number>;

/** Languages written right to left. */
const RTL = new Set(['ar', 'fa', 'he', 'ur']);

/**
 * The first of `candidates` (BCP 47 tags, best first) that `available` has, by primary
 * subtag (`de-AT` → `de`); else `fallback`.
 */
export function pickLanguage(
  candidates: ReadonlyArray<string | null | undefined>,
  available: ReadonlySet<string> | readonly string[],
  fallback = 'en',
): string {
  const has = (lang: string) =>
    Array.isArray(available)
      ? available.includes(lang)
      : (available as ReadonlySet<string>).has(lang);
  for (const tag of candidates) {
    const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (primary && has(primary)) return primary;
  }
  return fallback;
}

/** One language's messages, bound: `t('count', { n: 3 })` → "3 Comments". */
export class Messages<Source extends Record<string, Message>> {
  readonly dir: 'ltr' | 'rtl';
  private readonly plurals: Intl.PluralRules;
  private readonly numbers: Intl.NumberFormat;
  private readonly dates: Intl.DateTimeFormat;

  constructor(
    readonly lang: string,
    private readonly catalogue: CatalogueOf<Source>,
    /** The source catalogue: a message missing from `catalogue` falls back to it. */
    private readonly source: Source,
  ) {
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

  t(key: keyof Source & string, params: Params = {}): string {
    const message: Message = this.catalogue[key] ?? this.source[key];
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

  /** A date and time in the language's own way ('' for an invalid date). */
  date(iso: string): string {
    const date = new Date(iso);
    return isNaN(date.getTime()) ? '' : this.dates.format(date);
  }
}
